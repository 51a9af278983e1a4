"use client";

import Link from "next/link";
import { useEffect, useState } from "react";

import { errorMessage } from "~/components/integrations/trpc-errors";
import { PRIORITY_LABELS } from "~/components/tickets/labels";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { inputClasses } from "~/components/ui/form-field";
import { TICKET_PRIORITIES } from "~/lib/domain";
import { SUPPORT_CATEGORIES, SUPPORT_KINDS } from "~/server/services/support/support.schema";

import { KIND_LABELS, SUPPORT_CATEGORY_LABELS } from "./labels";
import { ScreenshotPicker } from "./screenshots";
import { useFileSupportRequest } from "./use-support";

type Kind = (typeof SUPPORT_KINDS)[number];

/** The fields each kind of request adds to summary, description and priority. */
const EXTRA_FIELDS: Record<Kind, { name: string; label: string; rows?: number; help?: string }[]> = {
  bug: [
    { name: "stepsToReproduce", label: "Steps to reproduce", rows: 4, help: "1. Open …  2. Click …" },
    { name: "expectedBehavior", label: "Expected behaviour", rows: 2 },
    { name: "actualBehavior", label: "Actual behaviour", rows: 2 },
    {
      name: "environment",
      label: "Environment",
      rows: 2,
      help: "Filled in from your browser; edit as needed.",
    },
  ],
  feature: [
    { name: "businessValue", label: "Business value", rows: 3, help: "What it would change for you." },
    { name: "useCase", label: "Use case", rows: 3 },
  ],
  support: [],
};

type FieldErrors = Record<string, string[] | undefined>;

/** Bug report, feature request or support ticket; answers with the ticket number (and Jira key). */
export function SupportRequestForm() {
  const [kind, setKind] = useState<Kind>("bug");
  const [values, setValues] = useState<Record<string, string>>({
    priority: "medium",
    supportCategory: "technical",
  });
  const [screenshots, setScreenshots] = useState<{ ids: string[]; uploading: boolean }>({
    ids: [],
    uploading: false,
  });
  const file = useFileSupportRequest();
  const fieldErrors = (file.error?.data as { fieldErrors?: FieldErrors } | undefined)?.fieldErrors ?? {};

  useEffect(() => {
    // Environment prefilled from the browser, as the customer would otherwise type it.
    setValues((current) =>
      current.environment
        ? current
        : {
            ...current,
            environment: `${navigator.userAgent}; screen ${screen.width}×${screen.height}; ${navigator.language}`,
          },
    );
  }, []);

  const set = (name: string) => (event: { target: { value: string } }) =>
    setValues((current) => ({ ...current, [name]: event.target.value }));
  const field = (name: string, label: string, control: React.ReactNode, help?: string) => (
    <div key={name}>
      <label htmlFor={`support-${name}`} className="block text-sm font-medium text-slate-900">
        {label}
      </label>
      {help && <p className="text-xs text-slate-600">{help}</p>}
      <div className="mt-1">{control}</div>
      {fieldErrors[name]?.[0] && (
        <p id={`support-${name}-error`} className="mt-1 text-sm text-red-800">
          {fieldErrors[name][0]}
        </p>
      )}
    </div>
  );
  const textarea = (name: string, rows = 3) => (
    <textarea
      id={`support-${name}`}
      rows={rows}
      className={inputClasses}
      value={values[name] ?? ""}
      aria-invalid={fieldErrors[name] ? true : undefined}
      aria-describedby={fieldErrors[name] ? `support-${name}-error` : undefined}
      onChange={set(name)}
    />
  );

  if (file.isSuccess) {
    const filed = file.data;
    return (
      <section
        className="rounded-2xl border border-emerald-200 bg-emerald-50 p-5"
        data-testid="support-filed"
      >
        <h2 className="font-semibold text-emerald-900">Thanks — we have your request</h2>
        <p className="mt-2 text-emerald-900">
          Your ticket number is{" "}
          <Link
            href={`/support/${filed.id}`}
            className="font-mono font-semibold underline"
            data-testid="support-number"
          >
            #{filed.number}
          </Link>
          {filed.externalKey && (
            <>
              {" "}
              (tracked as{" "}
              <a
                href={filed.externalUrl ?? undefined}
                target="_blank"
                rel="noreferrer"
                className="font-mono underline"
              >
                {filed.externalKey}
              </a>
              )
            </>
          )}
          .{" "}
          {filed.attachmentCount > 0 &&
            `${filed.attachmentCount} screenshot${filed.attachmentCount === 1 ? " is" : "s are"} attached. `}
          You can follow it under My tickets.
        </p>
        <Button
          variant="secondary"
          className="mt-4"
          onClick={() => {
            file.reset();
            setValues((current) => ({
              priority: "medium",
              supportCategory: "technical",
              environment: current.environment ?? "",
            }));
          }}
        >
          File another request
        </Button>
      </section>
    );
  }

  return (
    <form
      className="space-y-4 rounded-2xl border border-slate-200 bg-white p-5"
      aria-labelledby="support-form-heading"
      onSubmit={(event) => {
        event.preventDefault();
        const extras = Object.fromEntries(EXTRA_FIELDS[kind].map(({ name }) => [name, values[name] ?? ""]));
        file.mutate({
          kind,
          summary: values.summary ?? "",
          description: values.description ?? "",
          priority: values.priority as (typeof TICKET_PRIORITIES)[number],
          ...extras,
          ...(kind === "support" ? { supportCategory: values.supportCategory } : {}),
          ...(kind === "bug" ? { attachmentIds: screenshots.ids } : {}),
        } as Parameters<typeof file.mutate>[0]);
      }}
    >
      <h2 id="support-form-heading" className="font-semibold text-slate-900">
        New request
      </h2>
      <fieldset>
        <legend className="text-sm font-medium text-slate-900">What would you like to do?</legend>
        <div className="mt-2 flex flex-wrap gap-2">
          {SUPPORT_KINDS.map((option) => (
            <label
              key={option}
              className={`cursor-pointer rounded-lg border px-3 py-2 text-sm ${kind === option ? "border-brand-600 bg-brand-50 font-medium text-brand-800" : "border-slate-300"}`}
            >
              <input
                type="radio"
                name="kind"
                value={option}
                className="sr-only"
                checked={kind === option}
                onChange={() => setKind(option)}
              />
              {KIND_LABELS[option]}
            </label>
          ))}
        </div>
      </fieldset>
      {field(
        "summary",
        "Summary",
        <input
          id="support-summary"
          className={inputClasses}
          value={values.summary ?? ""}
          aria-invalid={fieldErrors.summary ? true : undefined}
          onChange={set("summary")}
        />,
      )}
      {field("description", "Description", textarea("description", 5))}
      <div className="grid gap-4 sm:grid-cols-2">
        {field(
          "priority",
          "Priority",
          <select
            id="support-priority"
            className={inputClasses}
            value={values.priority}
            onChange={set("priority")}
          >
            {TICKET_PRIORITIES.map((priority) => (
              <option key={priority} value={priority}>
                {PRIORITY_LABELS[priority]}
              </option>
            ))}
          </select>,
        )}
        {kind === "support" &&
          field(
            "supportCategory",
            "Category",
            <select
              id="support-supportCategory"
              className={inputClasses}
              value={values.supportCategory}
              onChange={set("supportCategory")}
            >
              {SUPPORT_CATEGORIES.map((category) => (
                <option key={category} value={category}>
                  {SUPPORT_CATEGORY_LABELS[category]}
                </option>
              ))}
            </select>,
          )}
      </div>
      {EXTRA_FIELDS[kind].map(({ name, label, rows, help }) =>
        field(name, label, textarea(name, rows), help),
      )}
      {kind === "bug" && <ScreenshotPicker onChange={setScreenshots} />}
      {fieldErrors.attachmentIds?.[0] && (
        <p className="text-sm text-red-800">{fieldErrors.attachmentIds[0]}</p>
      )}
      {file.error && !Object.keys(fieldErrors).length && (
        <Alert tone="error" title="The request was not sent">
          {errorMessage(file.error)}
        </Alert>
      )}
      <Button
        type="submit"
        pending={file.isPending}
        pendingLabel="Sending…"
        disabled={kind === "bug" && screenshots.uploading}
      >
        Send {KIND_LABELS[kind].toLowerCase()}
      </Button>
    </form>
  );
}
