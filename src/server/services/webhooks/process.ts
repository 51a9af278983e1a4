import "server-only";

import type { Prisma, WebhookEvent } from "~/generated/prisma/client";
import { db } from "~/server/db";
import {
  InvalidWebhookPayload,
  parseJiraWebhook,
  type JiraWebhookEvent,
} from "~/server/integrations/jira/webhook";
import { logger } from "~/server/logger";

import { applyJiraEvent } from "./apply-event";
import { ignored, type SyncOutcome, type SyncScope } from "./sync-scope";

/**
 * Processing one stored webhook event. The event row is locked while RECEIVED, and the changes it
 * makes commit together with its final state (PROCESSED, IGNORED or FAILED): an event is applied
 * exactly once, however often its job runs. An unexpected error rolls everything back and is
 * thrown, so the queue retries the job.
 */

export type ProcessResult = SyncOutcome | { state: "SKIPPED"; outcome: string };

const TRANSACTION = { maxWait: 15_000, timeout: 30_000 };
const MAX_OUTCOME_LENGTH = 1_000;

export async function processWebhookEvent(webhookEventId: string): Promise<ProcessResult> {
  try {
    return await db.$transaction(async (tx): Promise<ProcessResult> => {
      const event = await lockReceivedEvent(tx, webhookEventId);
      if (!event) return { state: "SKIPPED", outcome: "not waiting to be processed (done, or unknown)" };
      const result = await applyEvent(tx, event);
      await tx.webhookEvent.update({
        where: { id: event.id, organizationId: event.organizationId },
        data: {
          state: result.state,
          outcome: result.outcome.slice(0, MAX_OUTCOME_LENGTH),
          processedAt: new Date(),
        },
      });
      return result;
    }, TRANSACTION);
  } catch (error) {
    await noteFailedAttempt(webhookEventId, error);
    throw error;
  }
}

/** The event, locked, if it still waits to be processed. */
async function lockReceivedEvent(tx: Prisma.TransactionClient, id: string): Promise<WebhookEvent | null> {
  const [locked] = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM "WebhookEvent" WHERE id = ${id} AND state = 'RECEIVED' FOR UPDATE`;
  return locked ? tx.webhookEvent.findUnique({ where: { id: locked.id } }) : null;
}

async function applyEvent(tx: Prisma.TransactionClient, event: WebhookEvent): Promise<SyncOutcome> {
  const integration = await tx.integration.findFirst({
    where: { id: event.integrationId, organizationId: event.organizationId },
  });
  if (!integration || integration.deletedAt) return ignored("the integration was deleted");
  let parsed: JiraWebhookEvent;
  try {
    parsed = parseJiraWebhook(event.payload);
  } catch (error) {
    if (error instanceof InvalidWebhookPayload) return { state: "FAILED", outcome: error.message };
    throw error;
  }
  const scope: SyncScope = { tx, organizationId: event.organizationId, integration };
  return applyJiraEvent(scope, parsed);
}

/** Leaves the reason on the event (still RECEIVED, so the retry processes it). */
async function noteFailedAttempt(webhookEventId: string, error: unknown) {
  const message = error instanceof Error ? error.message : String(error);
  logger.error({ err: error, webhookEventId }, "processing a webhook event failed; the job will retry");
  await db.webhookEvent
    .updateMany({
      where: { id: webhookEventId, state: "RECEIVED" },
      data: { outcome: `Attempt failed: ${message}`.slice(0, MAX_OUTCOME_LENGTH) },
    })
    .catch(() => undefined);
}
