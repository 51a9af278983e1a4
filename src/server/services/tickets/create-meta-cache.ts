import "server-only";

import type { ExternalIssueType, TicketingProvider } from "~/server/integrations/types";

/**
 * A project's create-meta changes rarely but costs several Jira calls, so each process keeps it
 * for a few minutes per integration and project. Only a cache: nothing another process needs
 * lives here, and a field Jira starts requiring shows up as a rejected creation at worst.
 */
const TTL_MS = 5 * 60_000;
const cache = new Map<string, { at: number; issueTypes: Promise<ExternalIssueType[]> }>();

export function cachedIssueTypes(
  integration: { id: string },
  projectKey: string,
  provider: TicketingProvider,
): Promise<ExternalIssueType[]> {
  const key = `${integration.id}:${projectKey}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.issueTypes;
  const issueTypes = provider.listIssueTypes(projectKey);
  cache.set(key, { at: Date.now(), issueTypes });
  // A failed lookup is not kept.
  issueTypes.catch(() => cache.delete(key));
  return issueTypes;
}
