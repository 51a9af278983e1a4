import "server-only";

import { Prisma } from "~/generated/prisma/client";
import { db } from "~/server/db";
import { logger } from "~/server/logger";
import { recordAuditEvent } from "~/server/services/audit/audit";

import { jobInsertSql, sendJob, transactionExecutor } from "./boss";
import { QUEUES } from "./queues";
import { retryDelayMs, retryPolicy, type RetryPolicy } from "./retry-policy";

/**
 * Scheduling of the external-issue outbox. The ExternalIssue row is the truth: `nextAttemptAt` is
 * set in the same transaction as the job queued for that time, so a job that finds the row's next
 * attempt still ahead knows another job carries it, and steps aside.
 */

const QUEUE = QUEUES.externalIssue.name;

export type ExternalIssueJobData = { externalIssueId: string };

/** Queues an attempt inside the caller's transaction: the job commits or rolls back with the rows. */
export async function queueExternalIssueAttempt(
  tx: Prisma.TransactionClient,
  externalIssueId: string,
  startAfter: Date,
): Promise<void> {
  const data: ExternalIssueJobData = { externalIssueId };
  await sendJob(QUEUE, data, { startAfter, executor: transactionExecutor(tx) });
}

/** The same job as SQL, to be written by the statement that writes its row (see jobInsertSql). */
export function externalIssueAttemptSql(externalIssueId: string, startAfter: Date): Promise<Prisma.Sql> {
  const data: ExternalIssueJobData = { externalIssueId };
  return jobInsertSql(QUEUE, data, { startAfter });
}

type RowForScheduling = {
  syncState: string;
  attempts: number;
  organizationId: string;
  leased: boolean;
  leaseUntil: Date | null;
};

async function lockRow(tx: Prisma.TransactionClient, externalIssueId: string) {
  const [row] = await tx.$queryRaw<RowForScheduling[]>`
    SELECT "syncState", attempts, "organizationId", "leaseUntil", COALESCE("leaseUntil" > now(), false) AS leased
    FROM "ExternalIssue" WHERE id = ${externalIssueId} FOR UPDATE`;
  return row;
}

export type RetryableFailure = { message: string; retryAfterSeconds?: number; unanswered?: boolean };

/**
 * After an attempt that may be retried: queues the next one after the backoff (or Retry-After),
 * or marks the row FAILED once the attempts are used up. Nothing to do when the row is no longer
 * PENDING, or when another runner already holds its lease (that runner schedules what follows).
 */
export async function scheduleRetry(
  externalIssueId: string,
  failure: RetryableFailure,
  policy: RetryPolicy = retryPolicy(),
): Promise<"scheduled" | "gave_up" | "not_needed"> {
  return db.$transaction(async (tx) => {
    const row = await lockRow(tx, externalIssueId);
    if (!row || row.syncState !== "PENDING" || row.leased) return "not_needed";
    const audit = {
      organizationId: row.organizationId,
      actorId: null,
      entityType: "ExternalIssue",
      entityId: externalIssueId,
    };

    if (row.attempts >= policy.maxAttempts) {
      const lastError = `Gave up after ${row.attempts} attempts. Last error: ${failure.message}`;
      await tx.externalIssue.update({
        where: { id: externalIssueId },
        data: { syncState: "FAILED", lastError, nextAttemptAt: null, leaseUntil: null },
      });
      await recordAuditEvent({ ...audit, action: "external_issue.failed", reason: lastError }, tx);
      return "gave_up";
    }

    const delayMs = retryDelayMs(
      { attempt: row.attempts, retryAfterSeconds: failure.retryAfterSeconds, unanswered: failure.unanswered },
      policy,
    );
    const nextAttemptAt = new Date(Date.now() + delayMs);
    await tx.externalIssue.update({
      where: { id: externalIssueId },
      data: { nextAttemptAt, lastError: failure.message },
    });
    await queueExternalIssueAttempt(tx, externalIssueId, nextAttemptAt);
    await recordAuditEvent(
      {
        ...audit,
        action: "external_issue.retry_scheduled",
        reason: `Attempt ${row.attempts} failed: ${failure.message} Next attempt in ${formatDelay(delayMs)}${waitReason(failure)}.`,
        after: { attempts: row.attempts, nextAttemptAt: nextAttemptAt.toISOString() },
      },
      tx,
    );
    return "scheduled";
  });
}

/**
 * An attempt found the row leased by another runner. Normally that runner finishes or schedules
 * the retry itself; this job only matters if it died, so it comes back just after the lease ends.
 */
export async function scheduleAfterLease(externalIssueId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const row = await lockRow(tx, externalIssueId);
    if (!row || row.syncState !== "PENDING" || !row.leased || !row.leaseUntil) return;
    await queueExternalIssueAttempt(tx, externalIssueId, new Date(row.leaseUntil.getTime() + 1_000));
  });
}

/** Whether the row's next attempt is due now (false: done, gone, or another job is queued for later). */
export async function isAttemptDue(externalIssueId: string): Promise<boolean> {
  const [row] = await db.$queryRaw<{ due: boolean }[]>`
    SELECT "syncState" = 'PENDING' AND ("nextAttemptAt" IS NULL OR "nextAttemptAt" <= now()) AS due
    FROM "ExternalIssue" WHERE id = ${externalIssueId}`;
  return row?.due ?? false;
}

// pg-boss 10's job table (one partition per queue); states before 'active' are queued or waiting to retry.
const STALLED = Prisma.sql`
  e."syncState" = 'PENDING'
  AND (e."leaseUntil" IS NULL OR e."leaseUntil" < now())
  AND NOT EXISTS (
    SELECT 1 FROM pgboss.job j
    WHERE j.name = ${QUEUE}
      AND j.data->>'externalIssueId' = e.id
      AND (j.state < 'active' OR (j.state = 'active' AND j.started_on + j.expire_in > now()))
  )`;

/**
 * Rows PENDING with nobody on them: no live lease and no job queued or running (a running job
 * counts until pg-boss would expire it). They exist after a crash between an attempt and its
 * follow-up, or when a job was lost. Each gets a job, at its recorded next attempt if still ahead.
 */
export async function requeueStalledExternalIssues(limit = 500): Promise<string[]> {
  const candidates = await db.$queryRaw<{ id: string }[]>`
    SELECT e.id FROM "ExternalIssue" e WHERE ${STALLED} ORDER BY e."createdAt" LIMIT ${limit}`;
  const requeued: string[] = [];
  for (const { id } of candidates) {
    await db.$transaction(async (tx) => {
      // Checked again under the row lock: a runner may have picked it up since.
      const [row] = await tx.$queryRaw<{ nextAttemptAt: Date | null }[]>`
        SELECT e."nextAttemptAt" FROM "ExternalIssue" e WHERE e.id = ${id} AND ${STALLED} FOR UPDATE OF e`;
      if (!row) return;
      const now = new Date();
      await queueExternalIssueAttempt(
        tx,
        id,
        row.nextAttemptAt && row.nextAttemptAt > now ? row.nextAttemptAt : now,
      );
      requeued.push(id);
    });
  }
  if (requeued.length > 0)
    logger.warn({ count: requeued.length }, "requeued external issues left pending without a job");
  return requeued;
}

/** Jobs queued, waiting to retry or running for one row (for tests and diagnostics). */
export async function liveJobCount(externalIssueId: string): Promise<number> {
  const [row] = await db.$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS count FROM pgboss.job
    WHERE name = ${QUEUE} AND data->>'externalIssueId' = ${externalIssueId} AND state <= 'active'`;
  return row?.count ?? 0;
}

function formatDelay(ms: number): string {
  return ms < 1_000
    ? `${ms} ms`
    : ms < 120_000
      ? `${Math.round(ms / 100) / 10} s`
      : `${Math.round(ms / 60_000)} min`;
}

function waitReason(failure: RetryableFailure): string {
  if (failure.unanswered)
    return " (the unanswered request may still create the issue: the next attempt looks for it first)";
  return failure.retryAfterSeconds ? " (as Retry-After asked)" : "";
}
