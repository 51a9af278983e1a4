import "server-only";

/** What a worker does with one `webhook-event.process` job. */
export async function runWebhookEventJob(webhookEventId: string): Promise<string> {
  void webhookEventId;
  return "not_implemented";
}
