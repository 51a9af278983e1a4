import { receiveJiraWebhook } from "~/server/services/webhooks/receive";

export const dynamic = "force-dynamic";

/**
 * Jira webhooks for one integration: admin webhooks signed with its secret (X-Hub-Signature), or
 * the dynamic webhooks of an OAuth integration (bearer JWT). Verifies, stores and queues the
 * delivery; a job applies it. POST only.
 */
export async function POST(request: Request, context: { params: Promise<{ integrationId: string }> }) {
  const { integrationId } = await context.params;
  const reply = await receiveJiraWebhook(integrationId, request);
  return Response.json(reply.body, { status: reply.status, headers: reply.headers });
}
