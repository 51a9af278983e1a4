import "server-only";

import { Prisma, type ExternalChange } from "~/generated/prisma/client";
import { db } from "~/server/db";
import { columnsOf } from "~/server/db/columns";
import {
  isRetryable,
  ProviderError,
  type StatusTarget,
  type TicketingProvider,
} from "~/server/integrations/types";
import { sendJob, transactionExecutor } from "~/server/jobs/boss";
import { withinDeadline } from "~/server/jobs/deadline";
import { QUEUES } from "~/server/jobs/queues";
import { retryDelayMs, retryPolicy } from "~/server/jobs/retry-policy";
import { logger } from "~/server/logger";
import { recordAuditEvent } from "~/server/services/audit/audit";
import { providerForIntegration } from "~/server/services/integrations/integrations";
import {
  integrationSuccessWrite,
  recordProviderFailure,
  resumeIfSuspensionOver,
} from "~/server/services/integrations/lifecycle-store";

import type { TicketStatus } from "./tickets.schema";

/**
 * The second outbox: changes made to a ticket in the app (status, assignee, comments, a bug
 * report's screenshots) that its
 * external issues must follow. Each change is a row written with the change itself and a job;
 * attempts take a lease on the row, retry with the creation outbox's backoff, and report to the
 * integration's lifecycle. Status and assignee changes remember, for a while, that the webhook
 * about to report them is our own echo.
 */

const LEASE_MS = 60_000;
/** How long a webhook reporting a change we sent counts as its echo. */
const ECHO_WINDOW_MS = 10 * 60_000;

export type ChangePayload =
  | { kind: "TRANSITION"; status: TicketStatus }
  | { kind: "ASSIGN"; accountId: string | null; name: string | null }
  | { kind: "COMMENT"; commentId: string }
  | { kind: "ATTACHMENT"; attachmentId: string };

/** Where each internal status lands in a Jira workflow: these names first, else the category. */
const STATUS_TARGETS: Record<TicketStatus, StatusTarget> = {
  OPEN: { names: ["Open", "To Do", "Reopened"], category: "new" },
  IN_PROGRESS: { names: ["In Progress"], category: "indeterminate" },
  RESOLVED: { names: ["Resolved", "Done"], category: "done" },
  CLOSED: { names: ["Closed", "Done"], category: "done" },
};

/**
 * Queues `change` for every external issue of the ticket that exists externally, inside the
 * caller's transaction. Returns the ids, to be attempted at once after the commit.
 */
export async function queueExternalChanges(
  tx: Prisma.TransactionClient,
  ticketId: string,
  change: ChangePayload,
): Promise<string[]> {
  const links = await tx.externalIssue.findMany({
    where: { ticketId, syncState: "CREATED" },
    select: { id: true, organizationId: true },
  });
  const ids: string[] = [];
  for (const link of links) {
    const { kind, ...payload } = change;
    const row = await tx.externalChange.create({
      data: {
        organizationId: link.organizationId,
        externalIssueId: link.id,
        kind,
        payload,
        ...(kind === "COMMENT" ? {} : { echoUntil: new Date(Date.now() + ECHO_WINDOW_MS) }),
      },
      select: { id: true },
    });
    await sendJob(
      QUEUES.externalChange.name,
      { externalChangeId: row.id },
      // The safety net: a worker picks it up if the inline attempt never finishes.
      { startAfter: new Date(Date.now() + LEASE_MS + 5_000), executor: transactionExecutor(tx) },
    );
    ids.push(row.id);
  }
  return ids;
}

/**
 * Queues one ATTACHMENT change per screenshot for each external issue of the ticket, inside the
 * filing transaction. Unlike other changes, these are queued while the issue is still being
 * created (PENDING): sending waits until it exists. Returns the ids, to be attempted after commit.
 */
export async function queueAttachmentChanges(
  tx: Prisma.TransactionClient,
  ticketId: string,
  attachmentIds: readonly string[],
): Promise<string[]> {
  if (attachmentIds.length === 0) return [];
  const links = await tx.externalIssue.findMany({
    where: { ticketId, syncState: { in: ["PENDING", "CREATED"] } },
    select: { id: true, organizationId: true },
  });
  const ids: string[] = [];
  for (const link of links) {
    for (const attachmentId of attachmentIds) {
      const row = await tx.externalChange.create({
        data: {
          organizationId: link.organizationId,
          externalIssueId: link.id,
          kind: "ATTACHMENT",
          payload: { attachmentId },
        },
        select: { id: true },
      });
      await sendJob(
        QUEUES.externalChange.name,
        { externalChangeId: row.id },
        { startAfter: new Date(Date.now() + LEASE_MS + 5_000), executor: transactionExecutor(tx) },
      );
      ids.push(row.id);
    }
  }
  return ids;
}

/** Why a change was given up: its issue could not be created. Retrying the creation sends it after all. */
const HELD_BY_FAILED_CREATION = "The external issue could not be created, so this change was not sent to it.";

/**
 * When an issue's creation is retried, puts back the changes given up because it had failed
 * (inside the retry's transaction). Returns their ids, to be sent once the issue exists.
 */
export async function requeueChangesHeldByCreation(
  tx: Prisma.TransactionClient,
  externalIssueId: string,
): Promise<string[]> {
  const held = await tx.externalChange.findMany({
    where: { externalIssueId, syncState: "FAILED", lastError: HELD_BY_FAILED_CREATION },
    orderBy: { createdAt: "asc" },
    select: { id: true },
  });
  const ids = held.map((change) => change.id);
  if (ids.length === 0) return [];
  await tx.externalChange.updateMany({
    where: { id: { in: ids } },
    // Attempts are kept: a later attempt first looks for what an earlier one may have sent.
    data: { syncState: "PENDING", leaseUntil: null, nextAttemptAt: null, lastError: null },
  });
  for (const id of ids) {
    await sendJob(
      QUEUES.externalChange.name,
      { externalChangeId: id },
      { startAfter: new Date(Date.now() + LEASE_MS + 5_000), executor: transactionExecutor(tx) },
    );
  }
  return ids;
}

/** Sends the queued changes now, giving up waiting (not trying) after `deadlineMs`. */
export async function sendExternalChangesNow(ids: string[], deadlineMs: number): Promise<void> {
  const runs = ids.map((id) =>
    sendExternalChange(id).catch((error: unknown) =>
      logger.error({ err: error, externalChangeId: id }, "sending an external change failed"),
    ),
  );
  await withinDeadline(Promise.all(runs), deadlineMs);
}

async function takeLease(id: string): Promise<ExternalChange | null> {
  const [row] = await db.$queryRaw<ExternalChange[]>`
    UPDATE "ExternalChange"
    SET "leaseUntil" = now() + ${`${LEASE_MS} milliseconds`}::interval, attempts = attempts + 1, "updatedAt" = now()
    WHERE id = ${id} AND "syncState" = 'PENDING'
      AND ("leaseUntil" IS NULL OR "leaseUntil" < now())
      AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= now())
    RETURNING ${columnsOf(Prisma.ExternalChangeScalarFieldEnum)}`;
  return row ?? null;
}

/**
 * One attempt at one change. Provider failures that may pass are retried with backoff (a new
 * job); others mark the change FAILED. Returns what happened, for the job's output.
 */
export async function sendExternalChange(id: string): Promise<"SENT" | "RETRY" | "FAILED" | "SKIPPED"> {
  const change = await takeLease(id);
  if (!change) return "SKIPPED";
  const link = await db.externalIssue.findUniqueOrThrow({
    where: { id: change.externalIssueId },
    include: { integration: true },
  });
  if (link.syncState === "PENDING") return waitForCreation(change);
  if (link.syncState === "FAILED") {
    return finish(change, "FAILED", HELD_BY_FAILED_CREATION);
  }
  const integration = await resumeIfSuspensionOver(link.integration);
  if (integration.deletedAt || integration.status !== "ACTIVE") {
    return finish(
      change,
      "FAILED",
      `Integration "${integration.name}" is not active; the change was not sent.`,
    );
  }
  try {
    const provider = providerForIntegration(integration);
    const payload = change.payload as ChangePayload;
    const externalId = link.externalId ?? link.externalKey!;
    let description: string;
    if (change.kind === "TRANSITION" && "status" in payload) {
      const { status } = await provider.transition(externalId, STATUS_TARGETS[payload.status]);
      await db.externalIssue.update({
        where: { id: link.id },
        data: { externalStatus: status, lastSyncedAt: new Date(), lastSyncDirection: "OUTBOUND" },
      });
      // The webhook will name the Jira status, not ours: remember which one is our echo.
      await db.externalChange.update({ where: { id }, data: { payload: { ...payload, reached: status } } });
      description = `Moved ${link.externalKey} to “${status}”`;
    } else if (change.kind === "ASSIGN" && "accountId" in payload) {
      await provider.assign(externalId, payload.accountId);
      description = payload.accountId
        ? `Assigned ${link.externalKey} to ${payload.name ?? payload.accountId}`
        : `Unassigned ${link.externalKey}`;
    } else if (change.kind === "COMMENT" && "commentId" in payload) {
      const comment = await db.comment.findUniqueOrThrow({ where: { id: payload.commentId } });
      if (comment.externalId) return finish(change, "SENT", `Comment already in ${link.externalKey}`);
      // A retry first looks for the comment an earlier attempt may have added (its answer lost).
      const adopted =
        change.attempts > 1 ? await provider.findCommentByMarker?.(externalId, comment.id) : null;
      const created =
        adopted ??
        (await provider.addComment(externalId, comment.body, {
          internal: comment.visibility === "INTERNAL",
          marker: comment.id,
        }));
      await db.comment.update({ where: { id: comment.id }, data: { externalId: created.id } });
      const what = `a${comment.visibility === "INTERNAL" ? "n internal" : ""} comment`;
      description = adopted
        ? `Found ${what}, added by an earlier attempt whose answer was lost, on ${link.externalKey}`
        : `Added ${what} to ${link.externalKey}`;
    } else if (change.kind === "ATTACHMENT" && "attachmentId" in payload) {
      const outcome = await sendAttachment(provider, externalId, payload.attachmentId, change.attempts);
      if (outcome.state !== "SENT") return finish(change, outcome.state, outcome.message);
      description = `${outcome.message} ${link.externalKey}`;
    } else {
      return finish(change, "FAILED", `Unknown change ${change.kind}.`);
    }
    await integrationSuccessWrite(integration.id, { createdIssue: false });
    return finish(change, "SENT", description);
  } catch (error) {
    if (!(error instanceof ProviderError)) {
      await db.externalChange.update({ where: { id }, data: { leaseUntil: null } }).catch(() => undefined);
      throw error;
    }
    await recordProviderFailure(integration.id, error);
    if (!isRetryable(error) || change.attempts >= retryPolicy().maxAttempts) {
      return finish(change, "FAILED", error.message);
    }
    await scheduleRetry(change, error);
    return "RETRY";
  }
}

/**
 * Uploads a stored screenshot to the issue, once: a screenshot already uploaded is not sent
 * again, and a retry first adopts an upload of an earlier attempt whose answer was lost (same
 * name and size, not yet claimed by another screenshot of the ticket).
 */
async function sendAttachment(
  provider: TicketingProvider,
  externalId: string,
  attachmentId: string,
  attempt: number,
): Promise<{ state: "SENT" | "FAILED"; message: string }> {
  const attachment = await db.attachment.findUnique({
    where: { id: attachmentId },
    select: { id: true, ticketId: true, filename: true, contentType: true, size: true, externalId: true },
  });
  if (!attachment) return { state: "FAILED", message: "The screenshot was deleted before it was sent." };
  if (attachment.externalId) return { state: "SENT", message: `“${attachment.filename}” was already on` };
  if (!provider.addAttachment)
    return { state: "FAILED", message: "This integration cannot take attachments." };
  let uploaded =
    attempt > 1 && provider.listAttachments
      ? await adoptLostUpload(provider, externalId, attachment)
      : undefined;
  const adopted = uploaded !== undefined;
  if (!uploaded) {
    const { data } = await db.attachment.findUniqueOrThrow({
      where: { id: attachmentId },
      select: { data: true },
    });
    uploaded = await provider.addAttachment(externalId, {
      filename: attachment.filename,
      contentType: attachment.contentType,
      data: Buffer.from(data),
    });
  }
  await db.attachment.update({ where: { id: attachment.id }, data: { externalId: uploaded.id } });
  return {
    state: "SENT",
    message: adopted
      ? `Found “${attachment.filename}”, uploaded by an earlier attempt whose answer was lost, on`
      : `Attached “${attachment.filename}” to`,
  };
}

async function adoptLostUpload(
  provider: TicketingProvider,
  externalId: string,
  attachment: { ticketId: string | null; filename: string; size: number },
) {
  const [onIssue, claimed] = await Promise.all([
    provider.listAttachments!(externalId),
    db.attachment.findMany({
      where: { ticketId: attachment.ticketId, externalId: { not: null } },
      select: { externalId: true },
    }),
  ]);
  const taken = new Set(claimed.map((row) => row.externalId));
  return onIssue.find(
    (candidate) =>
      !taken.has(candidate.id) &&
      candidate.filename === attachment.filename &&
      candidate.size === attachment.size,
  );
}

/**
 * The external issue is still being created: the change waits, its attempt uncounted, and looks
 * again later — soon at first, then less often (half its age, within the retry policy's bounds).
 */
async function waitForCreation(change: ExternalChange): Promise<"RETRY"> {
  const { baseMs, maxMs } = retryPolicy();
  const ageMs = Date.now() - change.createdAt.getTime();
  const nextAttemptAt = new Date(Date.now() + Math.min(maxMs, Math.max(baseMs, ageMs / 2)));
  await db.$transaction(async (tx) => {
    await tx.externalChange.update({
      where: { id: change.id },
      data: {
        leaseUntil: null,
        nextAttemptAt,
        attempts: { decrement: 1 },
        lastError: "Waiting for the external issue to be created.",
      },
    });
    await sendJob(
      QUEUES.externalChange.name,
      { externalChangeId: change.id },
      { startAfter: nextAttemptAt, executor: transactionExecutor(tx) },
    );
  });
  return "RETRY";
}

async function scheduleRetry(change: ExternalChange, error: ProviderError) {
  const delayMs = retryDelayMs({
    attempt: change.attempts,
    retryAfterSeconds: error.details.retryAfterSeconds,
    unanswered: error.details.unanswered,
  });
  const nextAttemptAt = new Date(Date.now() + delayMs);
  await db.$transaction(async (tx) => {
    await tx.externalChange.update({
      where: { id: change.id },
      data: { leaseUntil: null, nextAttemptAt, lastError: error.message },
    });
    await sendJob(
      QUEUES.externalChange.name,
      { externalChangeId: change.id },
      { startAfter: nextAttemptAt, executor: transactionExecutor(tx) },
    );
  });
}

async function finish(change: ExternalChange, outcome: "SENT" | "FAILED", message: string) {
  await db.$transaction(async (tx) => {
    await tx.externalChange.update({
      where: { id: change.id },
      data: {
        syncState: outcome === "SENT" ? "CREATED" : "FAILED",
        leaseUntil: null,
        nextAttemptAt: null,
        lastError: outcome === "FAILED" ? message : null,
      },
    });
    await recordAuditEvent(
      {
        organizationId: change.organizationId,
        actorId: null,
        action: outcome === "SENT" ? "external_change.sent" : "external_change.failed",
        entityType: "ExternalIssue",
        entityId: change.externalIssueId,
        reason: message,
        after: { kind: change.kind, attempts: change.attempts },
      },
      tx,
    );
  });
  return outcome;
}
