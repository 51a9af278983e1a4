import "server-only";

import { createHmac, timingSafeEqual } from "node:crypto";

import { z } from "zod";

/**
 * Jira webhooks: the signature of admin webhooks and the payloads TicketBridge acts on, turned
 * into a small normalized event. Payloads use REST v2 shapes (rich text as plain strings); ADF is
 * accepted too and flattened, so a dynamic (v3-style) delivery reads the same.
 */

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/** Checks `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the raw body>` in constant time. */
export function verifyHubSignature(rawBody: string, header: string | null, secret: string): boolean {
  const given = header ? SIGNATURE.exec(header.trim())?.[1] : undefined;
  if (!given || !secret) return false;
  const expected = createHmac("sha256", secret).update(rawBody, "utf8").digest();
  return timingSafeEqual(expected, Buffer.from(given, "hex"));
}

/* ─────────────────────────────── rich text ─────────────────────────────── */

type AdfNode = { type?: unknown; text?: unknown; attrs?: { text?: unknown }; content?: unknown };

const BLOCKS = new Set(["paragraph", "heading", "codeBlock", "blockquote", "listItem", "rule", "panel"]);

/** Plain text of an ADF node: text, mentions and emoji by their text, one line per block. */
export function flattenAdf(node: unknown): string {
  if (typeof node !== "object" || node === null) return "";
  const { type, text, attrs, content } = node as AdfNode;
  if (type === "text" && typeof text === "string") return text;
  if (type === "hardBreak") return "\n";
  if ((type === "mention" || type === "emoji") && typeof attrs?.text === "string") return attrs.text;
  if (!Array.isArray(content)) return "";
  const parts = content.map(flattenAdf);
  const blockChildren = content.some((child) => BLOCKS.has(String((child as AdfNode | null)?.type)));
  return parts.join(blockChildren ? "\n" : "");
}

/** A rich-text field: a plain string (v2 payloads) or an ADF document (v3), as text. */
const richText = z
  .union([z.string(), z.looseObject({ type: z.literal("doc") })])
  .transform((value) => (typeof value === "string" ? value : flattenAdf(value)));

/* ─────────────────────────────── payload schemas ─────────────────────────────── */

/** Jira sends ids as strings; tolerate numbers. */
const jiraId = z.union([z.string().min(1), z.number()]).transform(String);

const user = z.object({ accountId: z.string().optional(), displayName: z.string().optional() });

const issueFields = z.object({
  summary: z.string().optional(),
  description: richText.nullish(),
  status: z
    .object({ name: z.string(), statusCategory: z.object({ key: z.string().optional() }).optional() })
    .optional(),
  priority: z.object({ name: z.string() }).nullish(),
  assignee: user.nullish(),
  issuetype: z.object({ name: z.string() }).optional(),
  project: z.object({ key: z.string() }).optional(),
  labels: z.array(z.string()).optional(),
});

const issue = z.object({ id: jiraId, key: z.string(), fields: issueFields.default({}) });
export type JiraWebhookIssue = z.output<typeof issue>;

const nullableText = z
  .string()
  .nullish()
  .transform((value) => value ?? null);

/**
 * One changelog item. Read from a null-prototype copy: an item without `toString` must not pick
 * up Object.prototype.toString.
 */
const changeItem = z.preprocess(
  (value) => (isRecord(value) ? Object.assign(Object.create(null) as object, value) : value),
  z.object({
    field: z.string(),
    from: nullableText,
    to: nullableText,
    fromString: nullableText,
    toString: nullableText,
  }),
);
export type JiraChange = z.output<typeof changeItem>;

const comment = z.object({
  id: jiraId,
  body: richText.nullish().transform((value) => value ?? ""),
  author: user.nullish(),
  visibility: z.object({ type: z.string().optional(), value: z.string().optional() }).nullish(),
  jsdPublic: z.boolean().optional(),
});

const envelope = z.object({
  webhookEvent: z.string().optional(),
  issue_event_type_name: z.string().optional(),
  user: user.nullish(),
});

const issueUpdatedPayload = z.object({
  issue,
  changelog: z.object({ items: z.array(changeItem).default([]) }).nullish(),
});
const issueCreatedPayload = z.object({ issue });
const commentPayload = z.object({ issue: z.object({ id: jiraId }), comment });

/* ─────────────────────────────── normalized events ─────────────────────────────── */

export type JiraWebhookComment = {
  id: string;
  body: string;
  authorAccountId: string | null;
  authorName: string | null;
  /** Restricted to a role or group, or hidden from the customer in Service Management. */
  internal: boolean;
};

export type JiraWebhookEvent =
  | { kind: "issue_updated"; issue: JiraWebhookIssue; changes: JiraChange[]; actorAccountId: string | null }
  | { kind: "issue_created"; issue: JiraWebhookIssue }
  | { kind: "comment_created"; issueId: string; comment: JiraWebhookComment }
  | { kind: "unhandled"; event: string };

/** A payload of an event TicketBridge handles that does not have the expected shape. */
export class InvalidWebhookPayload extends Error {
  constructor(event: string, error: z.ZodError) {
    const where = error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join(".") || "payload"}: ${issue.message}`)
      .join("; ");
    super(`The ${event} payload is not what Jira sends (${where}).`);
    this.name = "InvalidWebhookPayload";
  }
}

/**
 * The event a Jira webhook payload describes. A comment may also arrive as `jira:issue_updated`
 * of type `issue_commented` (for webhooks that subscribe to issue events only): it is read as
 * `comment_created`, and storing comments once per external id makes the pair harmless.
 */
export function parseJiraWebhook(payload: unknown): JiraWebhookEvent {
  const head = envelope.safeParse(payload);
  const event = head.success ? (head.data.webhookEvent ?? "unknown") : "unknown";
  const actorAccountId = head.data?.user?.accountId ?? null;
  switch (event) {
    case "jira:issue_updated": {
      if (head.data?.issue_event_type_name === "issue_commented" && hasComment(payload))
        return commentEvent(payload, event);
      const { issue, changelog } = parse(issueUpdatedPayload, payload, event);
      return { kind: "issue_updated", issue, changes: changelog?.items ?? [], actorAccountId };
    }
    case "jira:issue_created":
      return { kind: "issue_created", issue: parse(issueCreatedPayload, payload, event).issue };
    case "comment_created":
      return commentEvent(payload, event);
    default:
      return { kind: "unhandled", event };
  }
}

function commentEvent(payload: unknown, event: string): JiraWebhookEvent {
  const { issue: target, comment: raw } = parse(commentPayload, payload, event);
  return {
    kind: "comment_created",
    issueId: target.id,
    comment: {
      id: raw.id,
      body: raw.body,
      authorAccountId: raw.author?.accountId ?? null,
      authorName: raw.author?.displayName ?? null,
      internal: Boolean(raw.visibility) || raw.jsdPublic === false,
    },
  };
}

function parse<S extends z.ZodType>(schema: S, payload: unknown, event: string): z.output<S> {
  const result = schema.safeParse(payload);
  if (!result.success) throw new InvalidWebhookPayload(event, result.error);
  return result.data;
}

function hasComment(payload: unknown): boolean {
  return isRecord(payload) && isRecord(payload.comment);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
