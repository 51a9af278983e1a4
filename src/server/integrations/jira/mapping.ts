import "server-only";

import { z } from "zod";

import type {
  ExternalField,
  ExternalIssueSnapshot,
  ExternalIssueType,
  ExternalProject,
  NormalizedTicket,
} from "../types";
import { Rejected, Unavailable } from "../types";
import { markdownToAdf } from "./adf";
import type { IssueInput } from "./rest";
import { markdownToWikiMarkup } from "./wiki";

/**
 * Jira JSON ⇄ TicketBridge's types. Responses are parsed leniently (unknown keys pass, only what
 * is used is required), so a slightly different Jira version still works and a server that is
 * not Jira gives a clear error instead of a TypeError.
 */

const id = z.union([z.string(), z.number()]).transform(String);

export const serverInfoSchema = z.object({
  baseUrl: z.string(),
  version: z.string(),
  deploymentType: z.string().optional(),
  versionNumbers: z.array(z.number()).optional(),
  serverTitle: z.string().optional(),
});
export type JiraServerInfo = z.infer<typeof serverInfoSchema>;

export const userSchema = z.object({
  accountId: z.string().optional(),
  name: z.string().optional(),
  key: z.string().optional(),
  displayName: z.string().optional(),
  emailAddress: z.string().optional(),
});

export const projectSchema = z.object({ id, key: z.string(), name: z.string() });
export const projectPageSchema = z.object({
  values: z.array(projectSchema),
  isLast: z.boolean().optional(),
  total: z.number().optional(),
});

export const permissionsSchema = z.object({
  permissions: z.record(z.string(), z.object({ havePermission: z.boolean().optional() })),
});

const issueTypeSchema = z.object({ id, name: z.string(), subtask: z.boolean().optional() });
/** Cloud answers `{ issueTypes }`, Server / Data Center `{ values }`. */
export const createMetaIssueTypesSchema = z
  .object({
    issueTypes: z.array(issueTypeSchema).optional(),
    values: z.array(issueTypeSchema).optional(),
    total: z.number().optional(),
  })
  .transform((page) => ({ issueTypes: page.issueTypes ?? page.values ?? [], total: page.total }));

const allowedValueSchema = z.object({
  id: id.optional(),
  name: z.string().optional(),
  value: z.string().optional(),
});
const fieldMetaSchema = z.object({
  fieldId: z.string(),
  name: z.string(),
  required: z.boolean(),
  schema: z.object({ type: z.string() }).optional(),
  allowedValues: z.array(z.unknown()).optional(),
  hasDefaultValue: z.boolean().optional(),
});
export const createMetaFieldsSchema = z
  .object({
    fields: z.array(fieldMetaSchema).optional(),
    values: z.array(fieldMetaSchema).optional(),
    total: z.number().optional(),
  })
  .transform((page) => ({ fields: page.fields ?? page.values ?? [], total: page.total }));

export const createdIssueSchema = z.object({ id, key: z.string(), self: z.string().optional() });
export const bulkCreatedSchema = z.object({
  issues: z.array(createdIssueSchema).default([]),
  errors: z
    .array(
      z.object({
        status: z.number().optional(),
        failedElementNumber: z.number(),
        elementErrors: z
          .object({
            errorMessages: z.array(z.string()).optional(),
            errors: z.record(z.string(), z.string()).optional(),
          })
          .optional(),
      }),
    )
    .default([]),
});

export const searchResultsSchema = z.object({ issues: z.array(createdIssueSchema) });

const statusSchema = z.object({
  name: z.string(),
  statusCategory: z.object({ key: z.string().optional() }).optional(),
});
export const issueSchema = z.object({
  id,
  key: z.string(),
  fields: z.object({ status: statusSchema.optional(), assignee: userSchema.nullish() }).optional(),
});

export const transitionsSchema = z.object({
  transitions: z.array(z.object({ id, name: z.string(), to: statusSchema.optional() })),
});

export const commentSchema = z.object({ id });

/** A page of comments with their properties (`expand=properties`). */
export const markedCommentsSchema = z.object({
  comments: z.array(
    commentSchema.extend({
      properties: z
        .array(
          z.object({
            key: z.string(),
            value: z.object({ marker: z.string().optional() }).passthrough().nullish(),
          }),
        )
        .optional(),
    }),
  ),
});

/** An attachment as Jira describes it (the answer to an upload, an issue's `attachment` field). */
export const attachmentSchema = z.object({
  id,
  filename: z.string(),
  size: z.number().optional(),
  mimeType: z.string().optional(),
});
export const attachmentListSchema = z.array(attachmentSchema);
export const issueAttachmentsSchema = z.object({
  fields: z.object({ attachment: attachmentListSchema.nullish() }).optional(),
});

/** Parses a Jira answer, or says which call returned something unexpected. */
export function parseResponse<S extends z.ZodType>(schema: S, data: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const received = typeof data === "string" ? "text instead of JSON" : "JSON of an unexpected shape";
  throw new Unavailable(`Jira answered ${what} with ${received}. Is the address a Jira site?`);
}

/* ─────────────────────────────── to TicketBridge ─────────────────────────────── */

export function toExternalProject(project: z.infer<typeof projectSchema>): ExternalProject {
  return { id: project.id, key: project.key, name: project.name };
}

export function toExternalIssueType(
  type: z.infer<typeof issueTypeSchema>,
  fields?: ExternalField[],
): ExternalIssueType {
  return { id: type.id, name: type.name, subtask: type.subtask ?? false, ...(fields ? { fields } : {}) };
}

export function toExternalField(field: z.infer<typeof fieldMetaSchema>): ExternalField {
  const allowedValues = field.allowedValues
    ?.map((value) => allowedValueSchema.safeParse(value).data)
    .filter((value) => value?.id !== undefined)
    .map((value) => ({ id: value?.id ?? "", name: value?.name ?? value?.value ?? value?.id ?? "" }));
  return {
    id: field.fieldId,
    name: field.name,
    required: field.required,
    type: field.schema?.type ?? "any",
    ...(allowedValues ? { allowedValues } : {}),
    ...(field.hasDefaultValue !== undefined ? { hasDefaultValue: field.hasDefaultValue } : {}),
  };
}

export function toSnapshot(
  issue: z.infer<typeof issueSchema>,
  raw: unknown,
  siteUrl: string,
): ExternalIssueSnapshot {
  const assignee = issue.fields?.assignee;
  return {
    id: issue.id,
    key: issue.key,
    url: browseUrl(siteUrl, issue.key),
    status: issue.fields?.status?.name ?? "",
    ...(issue.fields?.status?.statusCategory?.key
      ? { statusCategory: issue.fields.status.statusCategory.key }
      : {}),
    assignee: assignee
      ? {
          id: assignee.accountId ?? assignee.name ?? assignee.key ?? "",
          name: assignee.displayName ?? assignee.name ?? "",
        }
      : null,
    raw,
  };
}

export function browseUrl(siteUrl: string, key: string): string {
  return `${siteUrl}/browse/${encodeURIComponent(key)}`;
}

/* ─────────────────────────────── to Jira ─────────────────────────────── */

/** The issue property that records which TicketBridge item an issue belongs to. */
export const MARKER_PROPERTY = "ticketbridge";
/**
 * Idempotency is looked up by label: Jira's JQL cannot search issue properties unless an app
 * declares them for indexing, but it can always search labels.
 */
export const MARKER_LABEL_PREFIX = "tb-ref-";
const MARKER = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,200}$/;

export function markerLabel(marker: string): string {
  if (!MARKER.test(marker)) {
    throw new Rejected(`The idempotency marker ${JSON.stringify(marker)} cannot be used in a Jira label.`, {
      marker: "Use letters, digits, '_', '.', ':' or '-' (at most 200).",
    });
  }
  return `${MARKER_LABEL_PREFIX}${marker}`;
}

const SUMMARY_LIMIT = 255;

/** Jira summaries are one line of at most 255 characters. */
export function toSummary(title: string): string {
  const line = title.replace(/\s+/g, " ").trim();
  return line.length <= SUMMARY_LIMIT ? line : `${line.slice(0, SUMMARY_LIMIT - 1).trimEnd()}…`;
}

/** Labels cannot contain spaces. */
function toLabel(label: string): string {
  return label.trim().replace(/\s+/g, "-");
}

/** Issue type by id when numeric, else by name (Jira accepts either). */
export function issueTypeRef(issueType: string): { id: string } | { name: string } {
  return /^\d+$/.test(issueType) ? { id: issueType } : { name: issueType };
}

/** Markdown → what the API version takes for rich text: ADF (v3) or wiki markup (v2). */
export function richText(markdown: string, version: 2 | 3): unknown {
  return version === 3 ? markdownToAdf(markdown) : markdownToWikiMarkup(markdown);
}

export function toIssueInput(
  ticket: NormalizedTicket,
  options: { projectKey: string; defaultIssueType: string; version: 2 | 3 },
): IssueInput {
  const marker = markerLabel(ticket.marker);
  const labels = [...new Set([...(ticket.labels ?? []).map(toLabel).filter(Boolean), marker])];
  const fields: Record<string, unknown> = {
    project: { key: options.projectKey },
    issuetype: issueTypeRef(ticket.issueType.trim() || options.defaultIssueType),
    summary: toSummary(ticket.title),
    ...(ticket.description.trim() ? { description: richText(ticket.description, options.version) } : {}),
    ...(ticket.priority ? { priority: { name: ticket.priority } } : {}),
    // Extra fields may override the ones above (e.g. another project), never the marker label.
    ...ticket.fields,
    labels,
  };
  return { fields, properties: [{ key: MARKER_PROPERTY, value: { marker: ticket.marker } }] };
}
