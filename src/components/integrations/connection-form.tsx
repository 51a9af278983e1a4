"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMemo, useState } from "react";
import { FormProvider, useForm, type Resolver } from "react-hook-form";

import { Button } from "~/components/ui/button";
import { FormField, inputClasses } from "~/components/ui/form-field";

import { CheckRunResult } from "./check-results";
import { ConnectionFields } from "./connection-fields";
import { FormErrorAlert } from "./form-error-alert";
import {
  connectionFormSchema,
  defaultValuesFor,
  fieldSpecs,
  withoutBlanks,
  type ConnectionFormValues,
  type ModeSchema,
} from "./schema-form";
import { applyServerFieldErrors } from "./server-form-errors";
import {
  useCreateIntegration,
  useVerifyConnection,
  type ConnectionModeEntry,
  type IntegrationListItem,
  type ProviderCatalogEntry,
} from "./use-integrations";

/**
 * Step 3: name, description and the mode's generated fields. "Verify" runs the checks on what is
 * typed without saving anything; "Connect" saves the integration as pending.
 */
export function ConnectionForm({
  provider,
  mode,
  onConnected,
}: {
  provider: ProviderCatalogEntry;
  mode: ConnectionModeEntry;
  onConnected: (integration: IntegrationListItem) => void;
}) {
  const specs = useMemo(() => fieldSpecs(mode.schema as ModeSchema), [mode]);
  const schema = useMemo(() => connectionFormSchema(specs), [specs]);
  const form = useForm<ConnectionFormValues>({
    resolver: zodResolver(schema) as unknown as Resolver<ConnectionFormValues>,
    defaultValues: { name: "", description: "", ...defaultValuesFor(specs) },
    mode: "onTouched",
  });
  const verify = useVerifyConnection();
  const create = useCreateIntegration();
  const [problem, setProblem] = useState<{ title: string; error: unknown; details: string[] } | null>(null);
  const target = useMemo(
    () => ({ provider: provider.id, mode: mode.id, specs, storedSecrets: [] }),
    [provider, mode, specs],
  );

  const connection = (values: Pick<ConnectionFormValues, "config" | "credentials">) => ({
    provider: provider.id,
    mode: mode.id,
    config: withoutBlanks(values.config),
    credentials: withoutBlanks(values.credentials),
  });
  const showServerError = (title: string) => (error: unknown) =>
    setProblem({ title, error, details: applyServerFieldErrors(error, specs, form.setError) });

  const onVerify = async () => {
    setProblem(null);
    if (!(await form.trigger(["config", "credentials"], { shouldFocus: true }))) return;
    verify.mutate(connection(form.getValues()), { onError: showServerError("Verification could not run") });
  };

  const onConnect = form.handleSubmit((values) => {
    setProblem(null);
    create.mutate(
      { ...connection(values), name: values.name, description: values.description || undefined },
      { onSuccess: onConnected, onError: showServerError("The integration was not saved") },
    );
  });

  return (
    <FormProvider {...form}>
      <form onSubmit={onConnect} noValidate className="space-y-6">
        <fieldset className="space-y-5 rounded-2xl border border-slate-200 bg-white p-5">
          <legend className="px-1 font-semibold text-slate-900">About this integration</legend>
          <FormField
            id="field-name"
            label="Name"
            required
            error={form.formState.errors.name?.message}
            help="Shown to agents when they pick where a ticket goes."
          >
            {(control) => (
              <input
                {...control}
                {...form.register("name")}
                type="text"
                placeholder="e.g. Acme Jira"
                className={inputClasses}
              />
            )}
          </FormField>
          <FormField
            id="field-description"
            label="Description"
            error={form.formState.errors.description?.message}
            help="Optional: what this integration is for."
          >
            {(control) => (
              <textarea {...control} {...form.register("description")} rows={2} className={inputClasses} />
            )}
          </FormField>
        </fieldset>

        <fieldset className="space-y-5 rounded-2xl border border-slate-200 bg-white p-5">
          <legend className="px-1 font-semibold text-slate-900">
            {provider.name}: {mode.label}
          </legend>
          <p className="text-sm text-slate-600">{mode.description}</p>
          <ConnectionFields target={target} usesUserOAuthGrant={mode.usesUserOAuthGrant} />
        </fieldset>

        {problem && <FormErrorAlert {...problem} />}

        <div aria-live="polite">
          {verify.isPending && <p className="text-sm text-slate-700">Verifying: nothing is saved yet…</p>}
          {verify.data && !verify.isPending && (
            <div className="space-y-2">
              <CheckRunResult run={verify.data} title="Verification" />
              <p className="text-sm text-slate-600">
                {verify.data.success
                  ? "Nothing was saved. Connect to save it; then test it to activate it."
                  : "Nothing was saved. Fix the failing check and verify again."}
              </p>
            </div>
          )}
        </div>

        <div className="flex flex-wrap gap-3">
          <Button variant="secondary" onClick={onVerify} pending={verify.isPending} pendingLabel="Verifying…">
            Verify
          </Button>
          <Button type="submit" pending={create.isPending} pendingLabel="Connecting…">
            Connect
          </Button>
        </div>
      </form>
    </FormProvider>
  );
}
