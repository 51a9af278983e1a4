import "server-only";

import { processWebhookEvent } from "~/server/services/webhooks/process";

/**
 * What a worker does with one `webhook-event.process` job: applies the stored event and answers
 * how it ended (the job's result). A throw fails the job and pg-boss retries it.
 */
export async function runWebhookEventJob(webhookEventId: string): Promise<string> {
  const { state, outcome } = await processWebhookEvent(webhookEventId);
  return `${state}: ${outcome}`;
}
