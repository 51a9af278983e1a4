import { z } from "zod";

import { CHECK_TYPES, TICKET_CATEGORIES, TICKET_PRIORITIES } from "~/lib/domain";

/** Inputs of the integration procedures; the wizard's forms use the same schemas. */

const id = z.string().trim().min(1, "Choose an integration.");

export const integrationSettingsSchema = z.object({
  supportedCategories: z
    .array(z.enum(TICKET_CATEGORIES))
    .min(1, "Pick at least one category this integration accepts.")
    .default([...TICKET_CATEGORIES]),
  supportedPriorities: z
    .array(z.enum(TICKET_PRIORITIES))
    .min(1, "Pick at least one priority this integration accepts.")
    .default([...TICKET_PRIORITIES]),
  /** Overrides of the default category → issue type mapping. */
  categoryToIssueType: z.partialRecord(z.enum(TICKET_CATEGORIES), z.string().trim().min(1)).default({}),
  /** Overrides of the default priority → external priority mapping. */
  priorityMapping: z.partialRecord(z.enum(TICKET_PRIORITIES), z.string().trim().min(1)).default({}),
  failureThreshold: z.number().int().min(1).max(20).default(3),
  /** Requests customers file in the support center go to this integration. */
  supportDefault: z.boolean().default(false),
  /** Issues created directly in the linked Jira project become tickets here (through webhooks). */
  importIssues: z.boolean().default(false),
});
export type IntegrationSettings = z.output<typeof integrationSettingsSchema>;

/** A connection that is being set up: what the wizard has so far. */
export const integrationDraftSchema = z.object({
  /** When editing: secret fields left blank come from this stored integration. */
  integrationId: z.string().optional(),
  provider: z.string().trim().min(1, "Choose a ticketing system."),
  mode: z.string().trim().min(1, "Choose how to connect."),
  config: z.record(z.string(), z.unknown()).default({}),
  credentials: z.record(z.string(), z.unknown()).default({}),
});
export type IntegrationDraft = z.input<typeof integrationDraftSchema>;

export const createIntegrationInput = integrationDraftSchema.extend({
  name: z
    .string()
    .trim()
    .min(1, "Give the integration a name.")
    .max(100, "Keep the name under 100 characters."),
  description: z.string().trim().max(500, "Keep the description under 500 characters.").optional(),
  settings: integrationSettingsSchema.optional(),
});

export const updateIntegrationInput = z.object({
  id,
  name: z.string().trim().min(1, "Give the integration a name.").max(100).optional(),
  description: z.string().trim().max(500).nullish(),
  config: z.record(z.string(), z.unknown()).optional(),
  /** Secret fields left blank keep the stored value. */
  credentials: z.record(z.string(), z.unknown()).optional(),
  settings: integrationSettingsSchema.partial().optional(),
});

export const testIntegrationInput = z.object({
  id,
  testTypes: z
    .array(z.enum(CHECK_TYPES))
    .min(1, "Choose at least one check.")
    .default([...CHECK_TYPES]),
  autoActivateOnSuccess: z.boolean().default(true),
});

export const integrationIdInput = z.object({ id });

export const listActiveIntegrationsInput = z
  .object({
    category: z.enum(TICKET_CATEGORIES).optional(),
    provider: z.string().trim().min(1).optional(),
  })
  .default({});

export const discoverIssueTypesInput = integrationDraftSchema.extend({
  projectKey: z.string().trim().min(1, "Choose a project first."),
});
