"use client";

import { get, useFormContext } from "react-hook-form";

import { FormField, inputClasses } from "~/components/ui/form-field";

import type { ConnectionFormValues, FieldSpec } from "./schema-form";

const INPUT_TYPES = { text: "text", url: "url", email: "email", password: "password" } as const;

const AUTOCOMPLETE: Partial<Record<FieldSpec["kind"], string>> = { email: "email", password: "new-password" };

/** One input generated from the schema: its type by kind, label and help from the schema. */
export function SchemaFieldInput({
  spec,
  storedSecret = false,
}: {
  spec: FieldSpec;
  storedSecret?: boolean;
}) {
  const {
    register,
    formState: { errors },
  } = useFormContext<ConnectionFormValues>();
  const error = (get(errors, spec.path) as { message?: string } | undefined)?.message;
  const id = `field-${spec.group}-${spec.name}`;
  const help = storedSecret ? (
    <>
      <strong>Stored — leave blank to keep.</strong> {spec.help}
    </>
  ) : (
    spec.help
  );

  return (
    <FormField id={id} label={spec.label} help={help} error={error} required={spec.required && !storedSecret}>
      {(control) =>
        spec.kind === "select" ? (
          <select {...control} {...register(spec.path)} className={inputClasses}>
            {spec.defaultValue === undefined && (
              <option value="" disabled={spec.required}>
                {spec.required ? "Choose…" : "—"}
              </option>
            )}
            {spec.options?.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        ) : (
          <input
            {...control}
            {...register(spec.path)}
            type={INPUT_TYPES[spec.kind]}
            autoComplete={AUTOCOMPLETE[spec.kind] ?? "off"}
            spellCheck={false}
            placeholder={storedSecret ? "Stored — leave blank to keep" : spec.placeholder}
            className={inputClasses}
          />
        )
      }
    </FormField>
  );
}
