"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { Controller, useForm, useWatch, type DefaultValues, type UseFormSetError } from "react-hook-form";
import type { z } from "zod";

import { FormErrorAlert } from "~/components/integrations/form-error-alert";
import { errorMessage, fieldErrorsOf } from "~/components/integrations/trpc-errors";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { FormField, inputClasses } from "~/components/ui/form-field";
import { TICKET_CATEGORIES, TICKET_PRIORITIES, type TicketCategory } from "~/lib/domain";
import {
  createTicketInput,
  MAX_DESCRIPTION_LENGTH,
  MAX_TITLE_LENGTH,
} from "~/server/services/tickets/tickets.schema";

import { IntegrationPicker, integrationsFor } from "./integration-picker";
import { CATEGORY_LABELS, PRIORITY_LABELS } from "./labels";
import { TicketCreatedPanel } from "./ticket-created-panel";
import {
  useActiveIntegrations,
  useCreateTicket,
  type ActiveIntegration,
  type CreatedTicket,
} from "./use-tickets";

type TicketFormInput = z.input<typeof createTicketInput>;
type TicketFormOutput = z.output<typeof createTicketInput>;

const FORM_FIELDS = new Set<string>([
  "title",
  "description",
  "category",
  "priority",
  "integrationId",
  "createExternally",
]);

const EMPTY_TICKET: DefaultValues<TicketFormInput> = {
  title: "",
  description: "",
  priority: "medium",
  createExternally: true,
};

/** Puts the server's field messages next to their fields; returns the others for the alert. */
function applyServerFieldErrors(error: unknown, setError: UseFormSetError<TicketFormInput>): string[] {
  const unplaced: string[] = [];
  for (const [field, message] of Object.entries(fieldErrorsOf(error))) {
    if (FORM_FIELDS.has(field)) {
      setError(field as keyof TicketFormInput, { type: "server", message }, { shouldFocus: true });
    } else unplaced.push(`${field}: ${message}`);
  }
  return unplaced;
}

/**
 * File a ticket: the form until it is submitted, then what happened (number, external key or the
 * failure with Retry). "File another ticket" returns to the form with the same choices.
 */
export function NewTicket() {
  const [created, setCreated] = useState<CreatedTicket | null>(null);
  const [nextDefaults, setNextDefaults] = useState<DefaultValues<TicketFormInput>>(EMPTY_TICKET);

  if (created) {
    return <TicketCreatedPanel created={created} onFileAnother={() => setCreated(null)} />;
  }
  return (
    <TicketForm
      defaultValues={nextDefaults}
      onCreated={(result, values) => {
        setNextDefaults({
          ...EMPTY_TICKET,
          category: values.category,
          priority: values.priority,
          integrationId: values.integrationId,
        });
        setCreated(result);
      }}
    />
  );
}

function TicketForm({
  defaultValues,
  onCreated,
}: {
  defaultValues: DefaultValues<TicketFormInput>;
  onCreated: (created: CreatedTicket, values: TicketFormOutput) => void;
}) {
  const form = useForm<TicketFormInput, unknown, TicketFormOutput>({
    resolver: zodResolver(createTicketInput),
    defaultValues,
    mode: "onTouched",
  });
  const create = useCreateTicket();
  const active = useActiveIntegrations();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const { errors } = form.formState;

  const [category, integrationId, description] = useWatch({
    control: form.control,
    name: ["category", "integrationId", "description"],
  });
  const descriptionLength = description?.length ?? 0;
  const integrations = active.data ?? [];
  const chosen = integrations.find((integration) => integration.id === integrationId);

  const onSubmit = form.handleSubmit((values) => {
    setUnplaced([]);
    create.mutate(values, {
      onSuccess: (result) => onCreated(result, values),
      onError: (error) => setUnplaced(applyServerFieldErrors(error, form.setError)),
    });
  });

  return (
    <form onSubmit={onSubmit} noValidate aria-label="New ticket" className="space-y-6">
      <div className="space-y-5 rounded-2xl border border-slate-200 bg-white p-5">
        <FormField
          id="ticket-title"
          label="Title"
          required
          help={`Up to ${MAX_TITLE_LENGTH} characters.`}
          error={errors.title?.message}
        >
          {(control) => (
            <input
              {...control}
              {...form.register("title")}
              type="text"
              autoComplete="off"
              className={inputClasses}
            />
          )}
        </FormField>
        <FormField
          id="ticket-description"
          label="Description"
          error={errors.description?.message}
          help={<DescriptionHelp length={descriptionLength} />}
        >
          {(control) => (
            <textarea
              {...control}
              {...form.register("description")}
              rows={10}
              className={`${inputClasses} font-mono`}
            />
          )}
        </FormField>
        <div className="grid gap-5 sm:grid-cols-2">
          <FormField id="ticket-category" label="Category" required error={errors.category?.message}>
            {(control) => (
              <select
                {...control}
                {...form.register("category", {
                  onChange: (event: React.ChangeEvent<HTMLSelectElement>) =>
                    keepIntegrationIfItTakes(event.target.value as TicketCategory),
                })}
                className={inputClasses}
              >
                <option value="">Choose a category</option>
                {TICKET_CATEGORIES.map((value) => (
                  <option key={value} value={value}>
                    {CATEGORY_LABELS[value]}
                  </option>
                ))}
              </select>
            )}
          </FormField>
          <FormField id="ticket-priority" label="Priority" required error={errors.priority?.message}>
            {(control) => (
              <select {...control} {...form.register("priority")} className={inputClasses}>
                {TICKET_PRIORITIES.map((value) => (
                  <option key={value} value={value}>
                    {PRIORITY_LABELS[value]}
                  </option>
                ))}
              </select>
            )}
          </FormField>
        </div>
      </div>

      <div className="space-y-4 rounded-2xl border border-slate-200 bg-white p-5">
        {active.isPending ? (
          <p role="status" className="text-sm text-slate-700">
            Loading the active integrations…
          </p>
        ) : active.isError ? (
          <Alert tone="warning" title="The integrations could not be loaded">
            {errorMessage(active.error)} The ticket can still be created internally.{" "}
            <button
              type="button"
              onClick={() => void active.refetch()}
              className="font-medium underline underline-offset-2"
            >
              Load them again
            </button>
          </Alert>
        ) : (
          <Controller
            control={form.control}
            name="integrationId"
            render={({ field, fieldState }) => (
              <IntegrationPicker
                integrations={integrations}
                category={(category as TicketCategory | "") || undefined}
                value={field.value}
                onChange={(value) => {
                  field.onChange(value);
                  if (value) form.setValue("createExternally", true);
                }}
                error={fieldState.error?.message}
              />
            )}
          />
        )}
        {chosen && (
          <div className="flex items-start gap-2">
            <input
              id="ticket-create-externally"
              type="checkbox"
              {...form.register("createExternally")}
              className="mt-0.5 h-4 w-4 accent-brand-600"
              aria-describedby="ticket-create-externally-help"
            />
            <div>
              <label htmlFor="ticket-create-externally" className="text-sm font-medium text-slate-900">
                Also create in {chosen.name}
              </label>
              <p id="ticket-create-externally-help" className="text-xs text-slate-600">
                The ticket is always saved here first; this creates and links the {chosen.providerName} issue.
              </p>
            </div>
          </div>
        )}
      </div>

      <FormErrorAlert title="The ticket was not created" error={create.error} details={unplaced} />
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" pending={create.isPending} pendingLabel="Creating the ticket…">
          Create ticket
        </Button>
        {create.isPending && chosen && (
          <p role="status" className="text-sm text-slate-700">
            Saving the ticket and creating it in {chosen.name}…
          </p>
        )}
      </div>
    </form>
  );

  /** A new category may rule out the chosen integration; then the ticket goes nowhere until one is picked. */
  function keepIntegrationIfItTakes(nextCategory: TicketCategory) {
    const current = form.getValues("integrationId");
    if (!current) return;
    const stillOffered = integrationsFor(integrations, nextCategory || undefined).some(
      (integration: ActiveIntegration) => integration.id === current,
    );
    if (!stillOffered) form.setValue("integrationId", undefined);
  }
}

function DescriptionHelp({ length }: { length: number }) {
  const over = length > MAX_DESCRIPTION_LENGTH;
  return (
    <>
      Markdown. Shown as plain text in TicketBridge and sent to the integration as text.{" "}
      <span data-testid="description-counter" className={over ? "font-semibold text-red-700" : undefined}>
        {length.toLocaleString("en")} / {MAX_DESCRIPTION_LENGTH.toLocaleString("en")} characters
        {over ? ` — ${(length - MAX_DESCRIPTION_LENGTH).toLocaleString("en")} too many` : ""}
      </span>
    </>
  );
}
