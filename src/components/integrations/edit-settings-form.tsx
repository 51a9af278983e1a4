"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMemo, useState } from "react";
import { FormProvider, useForm, type Resolver } from "react-hook-form";
import { toast } from "sonner";

import { Button } from "~/components/ui/button";
import { FormField, inputClasses } from "~/components/ui/form-field";

import { ConnectionFields } from "./connection-fields";
import { FormErrorAlert } from "./form-error-alert";
import { LoadingBlock, QueryProblem } from "./query-problem";
import {
  connectionFormSchema,
  defaultValuesFor,
  fieldSpecs,
  withoutBlanks,
  type ConnectionFormValues,
  type FieldSpec,
  type ModeSchema,
} from "./schema-form";
import { applyServerFieldErrors } from "./server-form-errors";
import { useConnectionMode, useUpdateIntegration, type IntegrationDetails } from "./use-integrations";

/** Edit name, description, config and credentials. A stored secret left blank is kept. */
export function EditSettings({
  integration,
  onDone,
}: {
  integration: IntegrationDetails;
  onDone: () => void;
}) {
  const catalog = useConnectionMode(integration.provider, integration.mode);
  if (catalog.isPending) return <LoadingBlock label="Loading the settings form…" />;
  if (catalog.isError) return <QueryProblem error={catalog.error} />;
  if (!catalog.mode)
    return <p className="text-sm text-slate-700">This connection mode can no longer be edited.</p>;
  const specs = fieldSpecs(catalog.mode.schema as ModeSchema);
  return (
    <EditSettingsForm
      integration={integration}
      specs={specs}
      usesUserOAuthGrant={catalog.mode.usesUserOAuthGrant}
      onDone={onDone}
    />
  );
}

function EditSettingsForm({
  integration,
  specs,
  usesUserOAuthGrant,
  onDone,
}: {
  integration: IntegrationDetails;
  specs: FieldSpec[];
  usesUserOAuthGrant: boolean;
  onDone: () => void;
}) {
  const storedSecrets = integration.storedSecrets;
  const schema = useMemo(() => connectionFormSchema(specs, { storedSecrets }), [specs, storedSecrets]);
  const form = useForm<ConnectionFormValues>({
    resolver: zodResolver(schema) as unknown as Resolver<ConnectionFormValues>,
    defaultValues: {
      name: integration.name,
      description: integration.description ?? "",
      ...defaultValuesFor(specs, { config: integration.config, credentials: integration.credentials }),
    },
    mode: "onTouched",
  });
  const update = useUpdateIntegration();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const target = useMemo(
    () => ({
      provider: integration.provider,
      mode: integration.mode,
      integrationId: integration.id,
      specs,
      storedSecrets,
    }),
    [integration.provider, integration.mode, integration.id, specs, storedSecrets],
  );
  const isSecret = (name: string) => specs.some((spec) => spec.secret && spec.name === name);

  const onSubmit = form.handleSubmit((values) =>
    update.mutate(
      {
        id: integration.id,
        name: values.name,
        description: values.description || null,
        config: withoutBlanks(values.config),
        // Secret fields go as typed: blank keeps the stored value.
        credentials: withoutBlanks(values.credentials, isSecret),
      },
      {
        onSuccess: () => {
          toast.success("Settings saved. Test the integration to check them.");
          onDone();
        },
        onError: (error) => setUnplaced(applyServerFieldErrors(error, specs, form.setError)),
      },
    ),
  );

  return (
    <FormProvider {...form}>
      <form onSubmit={onSubmit} noValidate className="space-y-5" aria-label="Edit settings">
        <FormField id="field-name" label="Name" required error={form.formState.errors.name?.message}>
          {(control) => (
            <input {...control} {...form.register("name")} type="text" className={inputClasses} />
          )}
        </FormField>
        <FormField
          id="field-description"
          label="Description"
          error={form.formState.errors.description?.message}
        >
          {(control) => (
            <textarea {...control} {...form.register("description")} rows={2} className={inputClasses} />
          )}
        </FormField>
        <ConnectionFields target={target} usesUserOAuthGrant={usesUserOAuthGrant} />
        <FormErrorAlert title="The settings were not saved" error={update.error} details={unplaced} />
        <div className="flex flex-wrap gap-3">
          <Button type="submit" pending={update.isPending} pendingLabel="Saving…">
            Save settings
          </Button>
          <Button variant="secondary" onClick={onDone}>
            Cancel
          </Button>
        </div>
      </form>
    </FormProvider>
  );
}
