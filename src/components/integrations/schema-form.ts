import { z } from "zod";

import { createIntegrationInput } from "~/server/services/integrations/integrations.schema";

import { humanize } from "./format";

/**
 * The connection form is generated from the JSON Schema a connection mode declares (config and
 * credentials, secret fields marked). This module turns that schema into field descriptions for
 * the inputs and into the zod schema the form validates with.
 */

export type JsonSchemaProperty = {
  type?: string | string[];
  title?: string;
  description?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  oneOf?: JsonSchemaProperty[];
  anyOf?: JsonSchemaProperty[];
  default?: unknown;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  examples?: unknown[];
  secret?: boolean;
  writeOnly?: boolean;
};

export type ObjectJsonSchema = {
  properties?: Record<string, JsonSchemaProperty>;
  required?: string[];
};

export type ModeSchema = {
  config: ObjectJsonSchema;
  credentials: ObjectJsonSchema;
  secretFields: string[];
};

export type FieldGroup = "config" | "credentials";
export type FieldKind = "text" | "url" | "email" | "password" | "select";

export type FieldSpec = {
  group: FieldGroup;
  name: string;
  /** The form path: `config.baseUrl`, `credentials.apiToken`. */
  path: `${FieldGroup}.${string}`;
  label: string;
  help?: string;
  kind: FieldKind;
  options?: { value: string; label: string }[];
  required: boolean;
  secret: boolean;
  defaultValue?: string;
  placeholder?: string;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
};

export type ConnectionFormValues = {
  name: string;
  description: string;
  config: Record<string, string>;
  credentials: Record<string, string>;
};

/** Framework-wide field names: the default project and issue type are picked from live lists. */
export const PROJECT_FIELD = "projectKey";
export const ISSUE_TYPE_FIELD = "defaultIssueType";
/** For modes acting through the user's Atlassian grant: filled from the chosen site. */
export const SITE_FIELDS = ["cloudId", "siteUrl", "siteName"] as const;

/** `anyOf: [X, {type: "null"}]` (nullable) → X. */
function unwrapNullable(property: JsonSchemaProperty): JsonSchemaProperty {
  const variants = property.anyOf ?? property.oneOf;
  if (!variants || variants.every((variant) => variant.const !== undefined)) return property;
  const concrete = variants.find((variant) => variant.type !== "null");
  return concrete ? { ...concrete, ...property, anyOf: undefined, oneOf: undefined } : property;
}

function optionsOf(property: JsonSchemaProperty): FieldSpec["options"] {
  if (property.enum)
    return property.enum.map((value) => ({ value: String(value), label: humanize(String(value)) }));
  const constants = property.oneOf ?? property.anyOf;
  if (constants?.every((variant) => variant.const !== undefined)) {
    return constants.map((variant) => ({
      value: String(variant.const),
      label: variant.title ?? humanize(String(variant.const)),
    }));
  }
  return undefined;
}

function kindOf(property: JsonSchemaProperty, secret: boolean, options: FieldSpec["options"]): FieldKind {
  if (options) return "select";
  if (secret) return "password";
  if (property.format === "uri" || property.format === "url") return "url";
  if (property.format === "email") return "email";
  return "text";
}

function specsOfGroup(group: FieldGroup, schema: ObjectJsonSchema, secretFields: string[]): FieldSpec[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, raw]) => {
    const property = unwrapNullable(raw);
    const secret = group === "credentials" && (secretFields.includes(name) || property.secret === true);
    const options = optionsOf(property);
    const example = property.examples?.[0];
    return {
      group,
      name,
      path: `${group}.${name}` as const,
      label: property.title ?? humanize(name),
      help: property.description,
      kind: kindOf(property, secret, options),
      options,
      required: required.has(name) && property.default === undefined,
      secret,
      defaultValue: property.default === undefined ? undefined : String(property.default),
      placeholder: example === undefined ? undefined : String(example),
      minLength: property.minLength,
      maxLength: property.maxLength,
      pattern: property.pattern,
    };
  });
}

export function fieldSpecs(schema: ModeSchema): FieldSpec[] {
  return [
    ...specsOfGroup("config", schema.config, schema.secretFields),
    ...specsOfGroup("credentials", schema.credentials, schema.secretFields),
  ];
}

function isUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** One field's rule, with messages that name the field. `optional`: blank is fine (a stored secret). */
export function fieldRule(spec: FieldSpec, { optional = false } = {}) {
  const required = spec.required && !optional;
  return z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      const issue = (message: string) => ctx.addIssue({ code: "custom", message });
      if (!value) {
        if (required) issue(`${spec.label} is required.`);
        return;
      }
      if (spec.kind === "url" && !isUrl(value))
        issue(`Enter a full address starting with https:// (or http://).`);
      else if (spec.kind === "email" && !EMAIL.test(value))
        issue("Enter an email address like name@example.com.");
      else if (spec.options && !spec.options.some((option) => option.value === value))
        issue(`Choose one of the listed options.`);
      else if (spec.minLength !== undefined && value.length < spec.minLength)
        issue(`${spec.label} needs at least ${spec.minLength} characters.`);
      else if (spec.maxLength !== undefined && value.length > spec.maxLength)
        issue(`${spec.label} can have at most ${spec.maxLength} characters.`);
      else if (!matchesPattern(spec.pattern, value)) issue(`${spec.label} is not in the expected format.`);
    });
}

/** JSON Schema patterns are ECMAScript regular expressions; one the browser cannot read is left to the server. */
function matchesPattern(pattern: string | undefined, value: string): boolean {
  if (!pattern) return true;
  try {
    return new RegExp(pattern).test(value);
  } catch {
    return true;
  }
}

function groupRules(specs: FieldSpec[], group: FieldGroup, storedSecrets: string[]) {
  return z.object(
    Object.fromEntries(
      specs
        .filter((spec) => spec.group === group)
        .map((spec) => [
          spec.name,
          fieldRule(spec, { optional: spec.secret && storedSecrets.includes(spec.name) }),
        ]),
    ),
  );
}

/**
 * The form's schema: name and description as the server checks them (`createIntegrationInput`),
 * config and credentials from the mode's JSON Schema. Stored secrets may be left blank.
 */
export function connectionFormSchema(specs: FieldSpec[], { storedSecrets = [] as string[] } = {}) {
  return z.object({
    name: createIntegrationInput.shape.name,
    description: z.string().trim().max(500, "Keep the description under 500 characters."),
    config: groupRules(specs, "config", storedSecrets),
    credentials: groupRules(specs, "credentials", storedSecrets),
  });
}

/** Just the fields needed to reach the system (not the project and issue type chosen from it). */
export function connectionOnlySchema(specs: FieldSpec[], { storedSecrets = [] as string[] } = {}) {
  const reach = specs.filter((spec) => spec.name !== PROJECT_FIELD && spec.name !== ISSUE_TYPE_FIELD);
  return z.object({
    config: groupRules(reach, "config", storedSecrets),
    credentials: groupRules(reach, "credentials", storedSecrets),
  });
}

export function defaultValuesFor(
  specs: FieldSpec[],
  current: { config?: Record<string, unknown>; credentials?: Record<string, unknown> } = {},
): Pick<ConnectionFormValues, "config" | "credentials"> {
  const values: Pick<ConnectionFormValues, "config" | "credentials"> = { config: {}, credentials: {} };
  for (const spec of specs) {
    const existing = current[spec.group]?.[spec.name];
    values[spec.group][spec.name] =
      spec.secret || existing === undefined || existing === null
        ? spec.secret
          ? ""
          : (spec.defaultValue ?? "")
        : String(existing);
  }
  return values;
}

/** Blank optional values are left out rather than sent as "". Secrets stay: blank keeps the stored one. */
export function withoutBlanks(values: Record<string, string>, keep: (name: string) => boolean = () => false) {
  return Object.fromEntries(
    Object.entries(values).filter(([name, value]) => value.trim() !== "" || keep(name)),
  );
}

/** Where a server-side field error belongs in the form. */
export function formPathOf(field: string, specs: FieldSpec[]): string | null {
  if (field === "name" || field === "description") return field;
  const bare = field.replace(/^(config|credentials)\./, "");
  const spec = specs.find(
    (candidate) => candidate.name === bare && (bare === field || field.startsWith(candidate.group)),
  );
  return spec?.path ?? null;
}
