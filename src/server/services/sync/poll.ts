import "server-only";

import type { Integration, Prisma } from "~/generated/prisma/client";
import { db } from "~/server/db";
import { InvalidWebhookPayload, parseJiraWebhook, type JiraChange } from "~/server/integrations/jira/webhook";
import { ProviderError } from "~/server/integrations/types";
import { logger } from "~/server/logger";
import { providerForIntegration } from "~/server/services/integrations/integrations";
import {
  integrationSuccessWrite,
  recordProviderFailure,
  resumeIfSuspensionOver,
} from "~/server/services/integrations/lifecycle-store";
import { applyJiraEvent } from "~/server/services/webhooks/apply-event";
import { findLinkedIssue, type SyncOutcome, type SyncScope } from "~/server/services/webhooks/sync-scope";

/**
 * Polling, for integrations Jira does not notify: every 5 minutes, the project's issues updated
 * since the last pass are fetched and turned into the same events a webhook delivers, applied by
 * the same code (echo suppression, comment deduplication and imports included).
 *
 * Which integrations are polled: ACTIVE Jira integrations WITHOUT working webhooks, i.e. with no
 * unexpired dynamic webhook registered AND no verified delivery in the last 30 minutes. A quiet
 * project with a working admin webhook is polled too after 30 minutes of silence; that costs one
 * empty search and catches a webhook that stopped arriving.
 */

export const WEBHOOK_SILENCE_MS = 30 * 60_000;
/** Re-read this much before the last pass: JQL compares to the minute, and clocks differ. */
export const POLL_OVERLAP_MS = 2 * 60_000;
/** A first pass (or one after a long pause) looks back at most this far. */
const MAX_LOOKBACK_MS = 7 * 24 * 60 * 60_000;
export const PAGE_SIZE = 50;
export const MAX_PAGES_PER_RUN = 10;
/** Stop starting new integrations past this, so a run ends before its job expires. */
const RUN_BUDGET_MS = 3 * 60_000;
/**
 * The fields the synced changes come from, plus what importing an issue needs (labels keep our
 * own issues out, issuetype / project / description fill the imported ticket).
 */
export const POLL_FIELDS = [
  "status",
  "assignee",
  "priority",
  "summary",
  "comment",
  "updated",
  "labels",
  "issuetype",
  "project",
  "description",
];
const TRANSACTION = { maxWait: 15_000, timeout: 30_000 };

type Pollable = Pick<Integration, "dynamicWebhookIds" | "dynamicWebhooksExpireAt" | "lastWebhookAt">;

export function needsPolling(integration: Pollable, now = new Date()): boolean {
  const dynamicLive =
    integration.dynamicWebhookIds.length > 0 &&
    integration.dynamicWebhooksExpireAt !== null &&
    integration.dynamicWebhooksExpireAt > now;
  const recentDelivery =
    integration.lastWebhookAt !== null &&
    now.getTime() - integration.lastWebhookAt.getTime() < WEBHOOK_SILENCE_MS;
  return !dynamicLive && !recentDelivery;
}

export type PollResult =
  | { state: "SKIPPED"; reason: string }
  | { state: "FAILED"; reason: string }
  | { state: "DONE"; issues: number; pages: number; complete: boolean; outcomes: string[] };

/**
 * The scheduled job: every integration that needs it, the least recently polled first, each on
 * its own (a failing one is logged and the others go on). `integrationIds` limits it (tests).
 */
export async function pollIntegrations({ integrationIds }: { integrationIds?: string[] } = {}) {
  const started = Date.now();
  const candidates = await db.integration.findMany({
    where: {
      provider: "jira",
      deletedAt: null,
      status: { in: ["ACTIVE", "SUSPENDED"] },
      ...(integrationIds ? { id: { in: integrationIds } } : {}),
    },
    orderBy: { lastPolledAt: { sort: "asc", nulls: "first" } },
    select: { id: true },
  });
  const results: Record<string, PollResult> = {};
  for (const { id } of candidates) {
    if (Date.now() - started > RUN_BUDGET_MS) break; // the next run starts with these
    try {
      results[id] = await pollIntegration(id);
    } catch (error) {
      logger.error({ err: error, integrationId: id }, "polling Jira failed");
      results[id] = { state: "FAILED", reason: error instanceof Error ? error.message : String(error) };
    }
  }
  return results;
}

type PollOptions = { now?: Date; pageSize?: number; maxPages?: number };

/** One pass for one integration; `lastPolledAt` moves on only when it succeeded. */
export async function pollIntegration(integrationId: string, options: PollOptions = {}): Promise<PollResult> {
  const { now = new Date(), pageSize = PAGE_SIZE, maxPages = MAX_PAGES_PER_RUN } = options;
  const row = await db.integration.findFirst({ where: { id: integrationId, deletedAt: null } });
  if (!row) return { state: "SKIPPED", reason: "deleted" };
  const integration = await resumeIfSuspensionOver(row);
  if (integration.status !== "ACTIVE")
    return { state: "SKIPPED", reason: `the integration is ${integration.status}` };
  if (!needsPolling(integration, now)) return { state: "SKIPPED", reason: "its webhooks are working" };

  const provider = providerForIntegration(integration);
  if (!provider.listUpdatedIssues) return { state: "SKIPPED", reason: "this connection cannot be polled" };
  const since = startOf(integration, now);
  const outcomes: string[] = [];
  let issues = 0;
  let pages = 0;
  let pageToken: string | undefined;
  let lastUpdated: Date | null = null;
  try {
    do {
      const page = await provider.listUpdatedIssues(since, {
        fields: POLL_FIELDS,
        maxResults: pageSize,
        ...(pageToken ? { pageToken } : {}),
      });
      pages += 1;
      for (const raw of page.issues) {
        issues += 1;
        outcomes.push(...(await applyPolledIssue(integration, raw)));
        lastUpdated = updatedOf(raw) ?? lastUpdated;
      }
      pageToken = page.nextPageToken ?? undefined;
    } while (pageToken && pages < maxPages);
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    logger.warn({ integrationId, code: error.code, message: error.message }, "polling Jira failed");
    await recordProviderFailure(integrationId, error);
    return { state: "FAILED", reason: error.message };
  }
  const complete = !pageToken;
  // Capped before the end: the next pass goes on from the last issue seen (results are oldest first).
  const polledUpTo = complete ? now : (lastUpdated ?? since);
  await db.integration.update({
    where: { id: integration.id, organizationId: integration.organizationId },
    data: { lastPolledAt: polledUpTo },
  });
  // A pass that worked clears earlier failures (without counting every quiet pass as a use).
  if (integration.consecutiveFailures > 0)
    await integrationSuccessWrite(integration.id, { createdIssue: false });
  return { state: "DONE", issues, pages, complete, outcomes };
}

function startOf(integration: Integration, now: Date): Date {
  const last = integration.lastPolledAt ?? integration.activatedAt ?? integration.createdAt;
  const earliest = now.getTime() - MAX_LOOKBACK_MS;
  return new Date(Math.max(last.getTime(), earliest) - POLL_OVERLAP_MS);
}

type RawIssue = {
  id?: unknown;
  fields?: {
    status?: { id?: unknown; name?: unknown } | null;
    assignee?: { accountId?: unknown; displayName?: unknown } | null;
    priority?: { name?: unknown } | null;
    summary?: unknown;
    updated?: unknown;
    comment?: { comments?: unknown };
  };
};

/**
 * One fetched issue, applied in its own transaction: an import when it is new to us, the fields
 * that differ from what we last saw of it as a changelog, and its comments we do not have.
 */
async function applyPolledIssue(integration: Integration, raw: unknown): Promise<string[]> {
  try {
    return await applyPolledIssueOnce(integration, raw);
  } catch (error) {
    // One issue Jira describes oddly must not hold up the others (nor the next passes).
    if (!(error instanceof InvalidWebhookPayload)) throw error;
    logger.warn({ integrationId: integration.id, message: error.message }, "skipped a polled Jira issue");
    return [];
  }
}

async function applyPolledIssueOnce(integration: Integration, raw: unknown): Promise<string[]> {
  const issue = raw as RawIssue;
  const issueId = String(issue.id);
  return db.$transaction(async (tx) => {
    const scope: SyncScope = { tx, organizationId: integration.organizationId, integration };
    const outcomes: SyncOutcome[] = [];
    let link = await findLinkedIssue(scope, issueId);
    if (!link) {
      const imported = await applyJiraEvent(
        scope,
        parseJiraWebhook({ webhookEvent: "jira:issue_created", issue: raw }),
      );
      if (imported.state !== "PROCESSED") return []; // not ours and not imported: nothing to sync
      outcomes.push(imported);
      link = await findLinkedIssue(scope, issueId);
    } else {
      const items = changesSinceLastSeen(link, issue);
      if (items.length > 0) {
        outcomes.push(
          await applyJiraEvent(
            scope,
            parseJiraWebhook({ webhookEvent: "jira:issue_updated", issue: raw, changelog: { items } }),
          ),
        );
      }
      await tx.externalIssue.update({
        where: { id: link.id, organizationId: integration.organizationId },
        data: { issueSnapshot: lastSeen(link.issueSnapshot, issue) },
      });
    }
    if (link?.ticketId) outcomes.push(...(await applyNewComments(scope, link.ticketId, issueId, issue)));
    return outcomes.filter((outcome) => outcome.state === "PROCESSED").map((outcome) => outcome.outcome);
  }, TRANSACTION);
}

/**
 * The synced fields whose value differs from what we last saw of the issue: its status from the
 * link (kept current both ways), the rest from the stored snapshot. A field we never saw counts
 * as changed; applying it is harmless, as only values that differ from the ticket are written.
 */
function changesSinceLastSeen(
  link: { externalStatus: string | null; issueSnapshot: Prisma.JsonValue },
  issue: RawIssue,
): JiraChange[] {
  const fields = issue.fields ?? {};
  const seen = snapshotFields(link.issueSnapshot);
  const items: JiraChange[] = [];
  const item = (field: string, to: string | null, toString: string | null): JiraChange => ({
    field,
    from: null,
    fromString: null,
    to,
    toString,
  });
  const statusName = text(fields.status?.name);
  if (statusName && statusName !== link.externalStatus)
    items.push(item("status", text(fields.status?.id), statusName));
  const assignee = text(fields.assignee?.accountId);
  if (!seen || !("assignee" in seen) || text(seen.assignee?.accountId) !== assignee)
    items.push(item("assignee", assignee, text(fields.assignee?.displayName)));
  const priority = text(fields.priority?.name);
  if (priority && (!seen || text(seen.priority?.name) !== priority))
    items.push(item("priority", null, priority));
  const summary = text(fields.summary);
  if (summary && (!seen || text(seen.summary) !== summary)) items.push(item("summary", null, summary));
  return items;
}

/** The snapshot with the synced fields as this pass saw them: the baseline of the next pass. */
function lastSeen(snapshot: Prisma.JsonValue, issue: RawIssue): Prisma.InputJsonObject {
  const base = isObject(snapshot) ? snapshot : {};
  const fields = issue.fields ?? {};
  const previous = isObject(base.fields) ? base.fields : {};
  const pick = (name: "status" | "assignee" | "priority" | "summary") =>
    name in fields ? { [name]: (fields[name] ?? null) as Prisma.InputJsonValue } : {};
  return {
    ...(base as Prisma.InputJsonObject),
    fields: {
      ...(previous as Prisma.InputJsonObject),
      ...pick("status"),
      ...pick("assignee"),
      ...pick("priority"),
      ...pick("summary"),
    },
  };
}

function snapshotFields(snapshot: Prisma.JsonValue): RawIssue["fields"] | null {
  if (!isObject(snapshot) || !isObject(snapshot.fields)) return null;
  return snapshot.fields as RawIssue["fields"];
}

/** The issue's comments not stored yet, each applied as a `comment_created` delivery would be. */
async function applyNewComments(scope: SyncScope, ticketId: string, issueId: string, issue: RawIssue) {
  const comments = issue.fields?.comment?.comments;
  if (!Array.isArray(comments) || comments.length === 0) return [];
  const ids = comments.map((comment: { id?: unknown }) => String(comment.id));
  const stored = await scope.tx.comment.findMany({
    where: { organizationId: scope.organizationId, ticketId, externalId: { in: ids } },
    select: { externalId: true },
  });
  const known = new Set(stored.map((comment) => comment.externalId));
  const outcomes: SyncOutcome[] = [];
  for (const comment of comments as { id?: unknown }[]) {
    if (known.has(String(comment.id))) continue;
    outcomes.push(
      await applyJiraEvent(
        scope,
        parseJiraWebhook({ webhookEvent: "comment_created", issue: { id: issueId }, comment }),
      ),
    );
  }
  return outcomes;
}

/** Jira's `updated` ("2026-11-22T10:15:30.000+0000") as a Date. */
function updatedOf(raw: unknown): Date | null {
  const value = (raw as RawIssue).fields?.updated;
  if (typeof value !== "string") return null;
  const date = new Date(value.replace(/([+-]\d\d)(\d\d)$/, "$1:$2"));
  return Number.isNaN(date.getTime()) ? null : date;
}

const text = (value: unknown): string | null =>
  typeof value === "string" ? value : typeof value === "number" ? String(value) : null;

function isObject(value: unknown): value is Record<string, Prisma.JsonValue> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
