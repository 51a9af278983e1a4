import "server-only";

import type { ExternalIssueType, TicketingProvider } from "~/server/integrations/types";

/**
 * A project's create-meta changes rarely but costs several Jira calls, so each process keeps it
 * for a few minutes per integration and project. Only answers are kept: concurrent lookups do not
 * share one request, so a single 429 or 503 is never counted against the integration many times.
 * Only a cache: nothing another process needs lives here.
 */
const TTL_MS = 5 * 60_000;
const cache = new Map<string, { at: number; issueTypes: ExternalIssueType[] }>();

export async function cachedIssueTypes(
  integration: { id: string },
  projectKey: string,
  provider: TicketingProvider,
): Promise<ExternalIssueType[]> {
  const key = `${integration.id}:${projectKey}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.issueTypes;
  const issueTypes = await provider.listIssueTypes(projectKey);
  cache.set(key, { at: Date.now(), issueTypes });
  return issueTypes;
}
