import "server-only";

import { randomUUID } from "node:crypto";

import { Prisma, type ExternalIssue, type Integration, type Ticket } from "~/generated/prisma/client";
import type { TicketCategory, TicketPriority } from "~/lib/domain";
import { env } from "~/env";
import { db } from "~/server/db";
import { columnsOf } from "~/server/db/columns";
import {
  isRetryable,
  ProviderError,
  RateLimited,
  type CreatedExternalIssue,
  type ExternalIssueSnapshot,
} from "~/server/integrations/types";
import {
  externalIssueAttemptSql,
  queueExternalIssueAttempt,
  scheduleRetry,
  type RetryableFailure,
} from "~/server/jobs/external-issue-jobs";
import { withinDeadline } from "~/server/jobs/deadline";
import { KeyedSemaphore } from "~/server/jobs/keyed-semaphore";
import { logger } from "~/server/logger";
import { recordAuditEvent } from "~/server/services/audit/audit";
import { providerForIntegration, settingsOf } from "~/server/services/integrations/integrations";
import {
  integrationSuccessSql,
  recordProviderFailure,
  resumeIfSuspensionOver,
} from "~/server/services/integrations/lifecycle-store";

import { cachedIssueTypes } from "./create-meta-cache";
import { checkAgainstCreateMeta, mapTicket } from "./mapping";

/**
 * The outbox: creating the external issue for an ExternalIssue row written PENDING with its
 * internal record. A lease on the row makes sure only one runner (a request's inline run or a
 * worker) creates at a time, and every attempt after the first looks the idempotency marker up
 * first, so an issue that was created but whose answer was lost is adopted, never created twice.
 */

const LEASE_MS = 60_000;
const EXTERNAL_ISSUE_COLUMNS = columnsOf(Prisma.ExternalIssueScalarFieldEnum);

/** What an attempt needs of its row. */
type AttemptedIssue = Pick<
  ExternalIssue,
  "id" | "organizationId" | "integrationId" | "ticketId" | "attempts"
>;

/**
 * A row its creator wrote already leased (attempt 1), with the integration and ticket it just
 * read: the inline run starts on it without reading any of them again. `leasedAt` is when.
 */
export type LeasedCreation = {
  externalIssue: AttemptedIssue;
  integration: Integration;
  ticket: Ticket;
  leasedAt: number;
};

/** Past this, a creator's lease is renewed before its attempt (it waited for a slot meanwhile). */
const FRESH_LEASE_MS = 1_000;

/**
 * Renews the lease its creator wrote, if it is still theirs: unexpired and not taken over (a
 * runner that took over counted another attempt). False means someone else may be on it.
 */
async function renewCreationLease(externalIssueId: string): Promise<boolean> {
  const renewed = await db.$executeRaw`
    UPDATE "ExternalIssue" SET "leaseUntil" = now() + ${`${LEASE_MS} milliseconds`}::interval, "updatedAt" = now()
    WHERE id = ${externalIssueId} AND "syncState" = 'PENDING' AND attempts = 1 AND "leaseUntil" > now()`;
  return renewed === 1;
}

/**
 * Runs the creation inline for an interactive request; past the deadline the row stays PENDING and
 * the run goes on in the background. A retryable failure queues its retry either way.
 */
export async function createExternalIssueNow(
  target: { externalIssueId: string; integrationId?: string } | LeasedCreation,
  { deadlineMs }: { deadlineMs: number },
): Promise<ExternalIssue> {
  const externalIssueId = "externalIssue" in target ? target.externalIssue.id : target.externalIssueId;
  const run = attemptExternalIssueCreation(target).catch((error: unknown) => {
    // Not even the retry could be queued (database down?): the job queued with the row takes over.
    logger.error({ err: error, externalIssueId }, "inline external issue creation failed");
  });
  const outcome = await withinDeadline(run, deadlineMs);
  if (outcome && outcome !== "deadline" && outcome.state === "CREATED") return outcome.externalIssue;
  return db.externalIssue.findUniqueOrThrow({ where: { id: externalIssueId } });
}

/**
 * One attempt and, when it failed in a way worth retrying, the retry queued (or the row marked
 * FAILED once the attempts are used up). Used inline and by the queue's worker alike.
 */
export async function attemptExternalIssueCreation(
  target: { externalIssueId: string; integrationId?: string } | LeasedCreation,
): Promise<AttemptResult> {
  const externalIssueId = "externalIssue" in target ? target.externalIssue.id : target.externalIssueId;
  let failure: RetryableFailure;
  try {
    const outcome = await processExternalIssue(target);
    if (outcome.state !== "RETRY") return outcome;
    failure = {
      message: outcome.error.message,
      retryAfterSeconds: outcome.retryAfterSeconds,
      unanswered: outcome.error.details.unanswered,
    };
  } catch (error) {
    logger.error({ err: error, externalIssueId }, "external issue attempt failed unexpectedly");
    failure = { message: "TicketBridge hit an internal error while creating the issue." };
  }
  await scheduleRetry(externalIssueId, failure);
  return { state: "RETRY" };
}

/** Takes the lease when the row is PENDING and nobody holds it; null when someone else is on it or it is done. */
async function takeLease(externalIssueId: string): Promise<ExternalIssue | null> {
  const [leased] = await db.$queryRaw<ExternalIssue[]>`
    UPDATE "ExternalIssue"
    SET "leaseUntil" = now() + ${`${LEASE_MS} milliseconds`}::interval, attempts = attempts + 1, "updatedAt" = now()
    WHERE id = ${externalIssueId} AND "syncState" = 'PENDING' AND ("leaseUntil" IS NULL OR "leaseUntil" < now())
    RETURNING ${EXTERNAL_ISSUE_COLUMNS}`;
  return leased ?? null;
}

/** The lease a creator writes with a new row: the creator's own inline run is attempt 1. */
export const LEASE_AT_CREATION = Prisma.sql`now() + ${`${LEASE_MS} milliseconds`}::interval`;

export type ProcessOutcome =
  | { state: "CREATED"; externalIssue: ExternalIssue }
  | { state: "FAILED" | "SKIPPED" }
  | { state: "RETRY"; error: ProviderError; retryAfterSeconds?: number };

/** How an attempt ended, once a retry it needed is queued. */
export type AttemptResult = Exclude<ProcessOutcome, { state: "RETRY" }> | { state: "RETRY" };

/**
 * A burst of tickets (say 200 filed at once) must not open 200 connections to one Jira: beyond
 * the limit, attempts wait their turn here, before taking the lease, so waiting never eats into it.
 */
const inFlight = new KeyedSemaphore(env.OUTBOX_MAX_IN_FLIGHT_PER_INTEGRATION);

/**
 * One attempt at creating the external issue for a PENDING row. Provider failures come back as an
 * outcome; anything else is thrown, after the lease is released so a retry need not wait for it.
 */
export async function processExternalIssue(
  target: { externalIssueId: string; integrationId?: string } | LeasedCreation,
): Promise<ProcessOutcome> {
  if ("externalIssue" in target) {
    return inFlight.run(target.integration.id, async () => {
      // A creation that waited for a slot checks its lease is still its own, or leaves the row
      // to the normal path (which takes the lease and looks the marker up first).
      const stillOurs =
        Date.now() - target.leasedAt < FRESH_LEASE_MS || (await renewCreationLease(target.externalIssue.id));
      if (!stillOurs) return leaseAndAttempt(target.externalIssue.id);
      return attemptReleasingLeaseOnError(target.externalIssue, target);
    });
  }
  const integrationId =
    target.integrationId ??
    (
      await db.externalIssue.findUnique({
        where: { id: target.externalIssueId },
        select: { integrationId: true },
      })
    )?.integrationId;
  if (!integrationId) return { state: "SKIPPED" };
  return inFlight.run(integrationId, () => leaseAndAttempt(target.externalIssueId));
}

async function leaseAndAttempt(externalIssueId: string): Promise<ProcessOutcome> {
  const externalIssue = await takeLease(externalIssueId);
  if (!externalIssue) return { state: "SKIPPED" };
  return attemptReleasingLeaseOnError(externalIssue);
}

async function attemptReleasingLeaseOnError(
  externalIssue: AttemptedIssue,
  loaded?: Pick<LeasedCreation, "integration" | "ticket">,
): Promise<ProcessOutcome> {
  try {
    return await attempt(externalIssue, loaded);
  } catch (error) {
    await db.externalIssue
      .update({
        where: { id: externalIssue.id },
        data: { leaseUntil: null, lastError: "Internal error; will try again." },
      })
      .catch(() => undefined);
    throw error;
  }
}

async function attempt(
  externalIssue: AttemptedIssue,
  loaded?: Pick<LeasedCreation, "integration" | "ticket">,
): Promise<ProcessOutcome> {
  const [storedIntegration, ticket] = loaded
    ? [loaded.integration, loaded.ticket]
    : await Promise.all([
        db.integration.findUniqueOrThrow({ where: { id: externalIssue.integrationId } }),
        externalIssue.ticketId ? db.ticket.findUnique({ where: { id: externalIssue.ticketId } }) : null,
      ]);
  const integration = await resumeIfSuspensionOver(storedIntegration);
  if (!ticket) return fail(externalIssue, "The ticket this issue belongs to no longer exists.");
  if (!integration.deletedAt && integration.status === "SUSPENDED")
    return waitOutSuspension(externalIssue, integration);
  if (integration.deletedAt || integration.status !== "ACTIVE") {
    return fail(
      externalIssue,
      `Integration "${integration.name}" is ${integration.deletedAt ? "deleted" : integration.status}; fix it under Integrations, then retry.`,
    );
  }
  const provider = providerForIntegration(integration);
  try {
    let created = externalIssue.attempts > 1 ? await provider.findByMarker(externalIssue.id) : null;
    const adopted = created !== null;
    if (!created) {
      const config = integration.config as { projectKey: string };
      const mapped = mapTicket(
        {
          ...ticket,
          category: ticket.category as TicketCategory,
          priority: ticket.priority as TicketPriority,
        },
        settingsOf(integration),
        externalIssue.id,
      );
      const checked = checkAgainstCreateMeta(
        mapped,
        config.projectKey,
        await cachedIssueTypes(integration, config.projectKey, provider),
      );
      created = await provider.createIssue(checked);
    }
    // The link is recorded while the issue is fetched (for its status), so the write costs no
    // time; a failed fetch does not undo the creation, the snapshot is only missing then.
    const [createdRow, snapshot] = await Promise.all([
      recordCreation(externalIssue, integration, ticket.number, created, adopted),
      provider.getIssue(created.id).catch(() => null),
    ]);
    if (!snapshot) return { state: "CREATED", externalIssue: createdRow };
    // The answer does not wait for the snapshot to be stored: it is a copy of Jira's state, which
    // the next sync refreshes anyway, not a record only this run can make.
    void storeFirstSnapshot(externalIssue.id, snapshot).catch((error: unknown) =>
      logger.warn(
        { err: error, externalIssueId: externalIssue.id },
        "could not store the created issue's snapshot",
      ),
    );
    return {
      state: "CREATED",
      externalIssue: {
        ...createdRow,
        issueSnapshot: snapshot.raw as Prisma.JsonValue,
        externalStatus: snapshot.status,
      },
    };
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    return handleProviderError(externalIssue, integration.id, error);
  }
}

/**
 * Stores the issue as fetched right after its creation, filling only what nothing has stored
 * meanwhile: a status from a sync (webhook, poll, a change sent from here) is at least as new.
 */
export async function storeFirstSnapshot(externalIssueId: string, snapshot: ExternalIssueSnapshot) {
  await db.$executeRaw`
    UPDATE "ExternalIssue"
    SET "issueSnapshot" = COALESCE("issueSnapshot", ${JSON.stringify(snapshot.raw)}::jsonb),
        "externalStatus" = COALESCE("externalStatus", ${snapshot.status})
    WHERE id = ${externalIssueId}`;
}

/** The link, its audit event and the integration's counters, written by one statement. */
async function recordCreation(
  externalIssue: AttemptedIssue,
  integration: Integration,
  ticketNumber: number,
  created: CreatedExternalIssue,
  adopted: boolean,
): Promise<ExternalIssue> {
  const [action, reason] = adopted
    ? ["external_issue.adopted", `Found ${created.key}, created by an earlier attempt whose answer was lost`]
    : [
        "external_issue.created",
        `Created ${created.key} in ${integration.name} (attempt ${externalIssue.attempts})`,
      ];
  const creationResponse = created.response === undefined ? null : JSON.stringify(created.response);
  const after = JSON.stringify({ key: created.key, url: created.url, ticketNumber });
  const [createdRow] = await db.$queryRaw<ExternalIssue[]>`
    WITH link AS (
      UPDATE "ExternalIssue"
      SET "externalId" = ${created.id}, "externalKey" = ${created.key}, url = ${created.url},
          "creationResponse" = ${creationResponse}::jsonb, "syncState" = 'CREATED', "lastError" = NULL,
          "leaseUntil" = NULL, "nextAttemptAt" = NULL, "lastSyncedAt" = now(),
          "lastSyncDirection" = 'OUTBOUND', "updatedAt" = now()
      WHERE id = ${externalIssue.id}
      RETURNING ${EXTERNAL_ISSUE_COLUMNS}
    ), audit AS (
      INSERT INTO "AuditEvent" (id, "organizationId", action, "entityType", "entityId", reason, after)
      SELECT ${randomUUID()}, "organizationId", ${action}, 'ExternalIssue', id, ${reason}, ${after}::jsonb
      FROM link
    ), counters AS (${integrationSuccessSql(integration.id, { createdIssue: true })})
    SELECT ${EXTERNAL_ISSUE_COLUMNS} FROM link`;
  if (!createdRow) throw new Error(`External issue ${externalIssue.id} vanished while it was being created.`);
  return createdRow;
}

async function handleProviderError(
  externalIssue: AttemptedIssue,
  integrationId: string,
  error: ProviderError,
): Promise<ProcessOutcome> {
  await recordProviderFailure(integrationId, error);
  if (!isRetryable(error)) {
    await fail(externalIssue, error.message);
    return { state: "FAILED" };
  }
  // The retry is queued (and audited) by the caller, with the backoff it chooses.
  await db.externalIssue.update({
    where: { id: externalIssue.id },
    data: { lastError: error.message, leaseUntil: null },
  });
  return { state: "RETRY", error, retryAfterSeconds: error.details.retryAfterSeconds };
}

/**
 * The integration is paused after too many rate-limit answers: not this row's failure. The attempt
 * is handed back uncounted and retried when the pause ends.
 */
async function waitOutSuspension(
  externalIssue: AttemptedIssue,
  integration: { name: string; suspendedUntil: Date | null },
): Promise<ProcessOutcome> {
  const retryAfterSeconds = Math.max(
    1,
    Math.ceil(((integration.suspendedUntil?.getTime() ?? 0) - Date.now()) / 1000),
  );
  const error = new RateLimited(
    `Integration "${integration.name}" is paused after repeated rate limiting; waiting until ${integration.suspendedUntil?.toISOString() ?? "the pause ends"}.`,
    retryAfterSeconds,
  );
  await db.externalIssue.update({
    where: { id: externalIssue.id },
    data: { lastError: error.message, leaseUntil: null, attempts: { decrement: 1 } },
  });
  return { state: "RETRY", error, retryAfterSeconds };
}

async function fail(externalIssue: AttemptedIssue, message: string): Promise<ProcessOutcome> {
  await db.$transaction(async (tx) => {
    await tx.externalIssue.update({
      where: { id: externalIssue.id },
      data: { syncState: "FAILED", lastError: message, leaseUntil: null, nextAttemptAt: null },
    });
    await recordAuditEvent(
      {
        organizationId: externalIssue.organizationId,
        actorId: null,
        action: "external_issue.failed",
        entityType: "ExternalIssue",
        entityId: externalIssue.id,
        reason: message,
      },
      tx,
    );
  });
  return { state: "FAILED" };
}

/** When the safety-net job starts: past the inline run's deadline and its lease. */
const safetyNetStart = () => new Date(Date.now() + env.INLINE_CREATION_DEADLINE_MS + LEASE_MS + 5_000);

/**
 * Queues the creation job in the caller's transaction (the one that writes the PENDING row), as
 * the safety net behind the inline run: if that run's process dies, the job does the work; if the
 * run finished, the job finds the row done, or its retry already queued, and steps aside.
 */
export async function enqueueExternalIssueCreation(
  tx: Prisma.TransactionClient,
  externalIssueId: string,
): Promise<void> {
  await queueExternalIssueAttempt(tx, externalIssueId, safetyNetStart());
}

/** The safety-net job as SQL, for a creator that writes its row and the job in one statement. */
export function externalIssueCreationJob(externalIssueId: string): Promise<Prisma.Sql> {
  return externalIssueAttemptSql(externalIssueId, safetyNetStart());
}
