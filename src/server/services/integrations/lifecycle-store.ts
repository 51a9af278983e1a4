import "server-only";

import { Prisma, type Integration } from "~/generated/prisma/client";
import type { ProviderError } from "~/server/integrations/types";
import { db } from "~/server/db";
import { columnsOf } from "~/server/db/columns";
import { AppError } from "~/server/errors";
import { recordAuditEvent } from "~/server/services/audit/audit";

import { integrationSettingsSchema } from "./integrations.schema";
import {
  decide,
  DEFAULT_LIFECYCLE_SETTINGS,
  IllegalTransitionError,
  type LifecycleEvent,
  type LifecycleState,
} from "./lifecycle";

type Tx = Prisma.TransactionClient;

const LIFECYCLE_FIELDS = [
  "status",
  "statusReason",
  "activatedAt",
  "activationMethod",
  "suspendedUntil",
  "successCount",
  "failureCount",
  "consecutiveFailures",
  "rateLimitHits",
  "rateLimitWindowStart",
  "lastSuccessfulCreationAt",
] as const satisfies readonly (keyof LifecycleState)[];

// Fails to compile when LifecycleState gains a field this list does not name.
const listsEveryField: [Exclude<keyof LifecycleState, (typeof LIFECYCLE_FIELDS)[number]>] extends [never]
  ? true
  : never = true;
void listsEveryField;

/** The part of an integration row the state machine decides on. */
function stateOf(integration: Integration): LifecycleState {
  return Object.fromEntries(LIFECYCLE_FIELDS.map((field) => [field, integration[field]])) as LifecycleState;
}

/**
 * Applies one lifecycle event to an integration: the row is locked, the state machine decides,
 * the new state and (on a status change) its audit event are written in the same transaction.
 * `alongside` writes what belongs with the event (a test run) in that transaction too.
 */
export async function applyLifecycleEvent(
  integrationId: string,
  event: LifecycleEvent,
  actorId: string | null,
  alongside?: (tx: Tx, before: LifecycleState, after: LifecycleState) => Promise<void>,
): Promise<{ before: LifecycleState; after: LifecycleState }> {
  return db.$transaction(async (tx) => {
    const [integration] = await tx.$queryRaw<Integration[]>`
      SELECT ${columnsOf(Prisma.IntegrationScalarFieldEnum)} FROM "Integration" WHERE id = ${integrationId} FOR UPDATE`;
    if (!integration) throw new AppError("NOT_FOUND", "This integration does not exist.");
    const before = stateOf(integration);
    const { failureThreshold } = integrationSettingsSchema.parse(integration.settings ?? {});
    const now = new Date();
    let decision;
    try {
      decision = decide(before, event, now, { ...DEFAULT_LIFECYCLE_SETTINGS, failureThreshold });
    } catch (error) {
      if (error instanceof IllegalTransitionError) throw new AppError("CONFLICT", error.message);
      throw error;
    }
    const { next, statusChange } = decision;
    await tx.integration.update({
      where: { id: integrationId },
      data: { ...next, ...(statusChange ? { statusChangedAt: now } : {}) },
    });
    if (statusChange) {
      await recordAuditEvent(
        {
          organizationId: integration.organizationId,
          actorId,
          action: "integration.status_changed",
          entityType: "Integration",
          entityId: integrationId,
          reason: statusChange.reason,
          before: { status: statusChange.from },
          after: {
            status: statusChange.to,
            ...(statusChange.method ? { activationMethod: statusChange.method } : {}),
          },
        },
        tx,
      );
    }
    await alongside?.(tx, before, next);
    return { before, after: next };
  });
}

/** A suspension ends by itself once its window is over; reads apply that lazily. */
export async function resumeIfSuspensionOver(integration: Integration): Promise<Integration> {
  if (
    integration.status !== "SUSPENDED" ||
    !integration.suspendedUntil ||
    integration.suspendedUntil > new Date()
  ) {
    return integration;
  }
  await applyLifecycleEvent(integration.id, { type: "SUSPENSION_ENDED" }, null).catch((error: unknown) => {
    // Another request resumed it first.
    if (!(error instanceof AppError && error.code === "CONFLICT")) throw error;
  });
  return db.integration.findUniqueOrThrow({ where: { id: integration.id } });
}

export type UseOutcome =
  | { ok: true; createdIssue: boolean }
  | { ok: false; errorCode: "RATE_LIMITED"; retryAfterSeconds?: number }
  | { ok: false; errorCode: Exclude<LifecycleEventErrorCode, "RATE_LIMITED">; reason: string };

type LifecycleEventErrorCode = Extract<LifecycleEvent, { type: "USE_FAILED" }>["errorCode"];

/** Every call made through an integration in use reports here: counters, health and status follow. */
export async function recordIntegrationUse(integrationId: string, outcome: UseOutcome) {
  const event: LifecycleEvent = outcome.ok
    ? { type: "USE_SUCCEEDED", createdIssue: outcome.createdIssue }
    : outcome.errorCode === "RATE_LIMITED"
      ? { type: "RATE_LIMITED", retryAfterSeconds: outcome.retryAfterSeconds }
      : { type: "USE_FAILED", errorCode: outcome.errorCode, reason: outcome.reason };
  return applyLifecycleEvent(integrationId, event, null);
}

/**
 * A success, written without locking and reading the row first: the state machine never changes
 * the status on USE_SUCCEEDED, only these counters, so creations finishing together do not queue
 * on the integration's row. As SQL, to run alone (integrationSuccessWrite) or inside a caller's
 * statement.
 */
export function integrationSuccessSql(integrationId: string, { createdIssue }: { createdIssue: boolean }) {
  return Prisma.sql`
    UPDATE "Integration" SET "successCount" = "successCount" + 1, "consecutiveFailures" = 0,
      ${createdIssue ? Prisma.sql`"lastSuccessfulCreationAt" = now(),` : Prisma.empty} "updatedAt" = now()
    WHERE id = ${integrationId}`;
}

export function integrationSuccessWrite(integrationId: string, outcome: { createdIssue: boolean }) {
  return db.$executeRaw(integrationSuccessSql(integrationId, outcome));
}

/** A provider call that failed: counted against the integration, 429s with their Retry-After. */
export function recordProviderFailure(integrationId: string, error: ProviderError) {
  return recordIntegrationUse(
    integrationId,
    error.code === "RATE_LIMITED"
      ? { ok: false, errorCode: "RATE_LIMITED", retryAfterSeconds: error.details.retryAfterSeconds }
      : { ok: false, errorCode: error.code, reason: error.message },
  );
}
