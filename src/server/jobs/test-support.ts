/**
 * Helpers for the outbox's tests (not shipped code): a Jira integration on the sandbox's
 * globex-demo site as Ada, sandbox faults scoped to it, and the sandbox's view of the issues.
 *
 * The sandbox is shared by every test file of a run. Faults are scoped to GLOBEX_SITE_PATH, the
 * API-token address of globex-demo, which no other test file uses (the OAuth gateway path of
 * globex-demo is also used by the integrations tests, so no fault is ever scoped there).
 */
import type { FaultSettings } from "../../../sandbox/faults";
import { ADA } from "../../../sandbox/test-helpers";

import type { Viewer } from "~/server/api/trpc";
import { db } from "~/server/db";
import { seal } from "~/server/integrations/crypto";
import { accountTokenContext } from "~/server/services/accounts/accounts";
import { createIntegration, testIntegration } from "~/server/services/integrations/integrations";
import type { CreateTicketInput } from "~/server/services/tickets/tickets.schema";
import { linkAtlassianGrant, sandboxAdmin, sandboxUrl } from "~/test/atlassian";
import { createMember, unique } from "~/test/db";

import { queueExternalIssueAttempt } from "./external-issue-jobs";
import { QUEUES } from "./queues";

/** Millisecond backoffs for tests, the same in every test file that runs workers. */
export const TEST_RETRY_POLICY = { baseMs: 100, maxMs: 1_000, maxAttempts: 8, unansweredSettleMs: 500 };
export const TEST_WORKERS = {
  concurrency: 4,
  pollIntervalSeconds: 0.5,
  retry: TEST_RETRY_POLICY,
  sweep: false,
};

export const GLOBEX = { name: "globex-demo", cloudId: "8c7b6a5d-4e3f-4a2b-8c1d-0e9f8a7b6c5d" };
export const GLOBEX_SITE_PATH = `/site/${GLOBEX.name}`;

/** Failures in a row before the lifecycle marks an integration ERROR: the most settings allow. */
const TOLERANT = { failureThreshold: 20 };

export async function newOrganization(): Promise<Viewer> {
  const session = await createMember("OWNER");
  return { userId: session.user.id, organizationId: session.organization!.id, role: "OWNER" };
}

/** An ACTIVE Jira Cloud integration with Ada's API token on globex-demo (the faulted address). */
export async function connectApiToken(viewer: Viewer, apiToken = ADA.apiToken): Promise<string> {
  const created = await createIntegration(viewer, {
    provider: "jira",
    mode: "cloud_api_token",
    name: unique("Globex API token"),
    config: { baseUrl: `${sandboxUrl()}${GLOBEX_SITE_PATH}`, projectKey: "DEMO", defaultIssueType: "Task" },
    credentials: { email: ADA.email, apiToken },
    settings: TOLERANT,
  });
  return activate(viewer, created.id);
}

/** An ACTIVE Jira Cloud integration through Ada's Atlassian grant on globex-demo. */
export async function connectOAuth(viewer: Viewer): Promise<string> {
  await linkAtlassianGrant(viewer.userId, ADA, [GLOBEX.name]);
  const created = await createIntegration(viewer, {
    provider: "jira",
    mode: "cloud_oauth",
    name: unique("Globex OAuth"),
    config: {
      cloudId: GLOBEX.cloudId,
      siteUrl: `${sandboxUrl()}${GLOBEX_SITE_PATH}`,
      siteName: GLOBEX.name,
      projectKey: "DEMO",
      defaultIssueType: "Task",
    },
    credentials: {},
    settings: TOLERANT,
  });
  return activate(viewer, created.id);
}

async function activate(viewer: Viewer, integrationId: string): Promise<string> {
  const result = await testIntegration(viewer, { id: integrationId });
  if (result.newStatus !== "ACTIVE")
    throw new Error(`Integration not activated: ${JSON.stringify(result.checks)}`);
  return integrationId;
}

/**
 * Replaces the user's stored Atlassian access token with one the sandbox rejects (401), as when a
 * token dies early: the next calls must refresh it. Only this user's token, unlike the sandbox's
 * `tokens/expire`, which would expire the tokens other test files are using at that moment. Call
 * it while nothing is using the grant: a refresh waiting for its lock takes a changed stored token
 * for the one another caller just refreshed.
 */
export async function rejectStoredAccessToken(userId: string): Promise<void> {
  const account = await db.account.findFirstOrThrow({ where: { userId, provider: "atlassian" } });
  await db.account.update({
    where: {
      provider_providerAccountId: { provider: "atlassian", providerAccountId: account.providerAccountId },
    },
    data: {
      accessTokenSealed: seal(
        `sbx_at_rejected_${unique("t")}`,
        accountTokenContext("atlassian", account.providerAccountId, "access"),
      ),
    },
  });
}

/** Marks the user's stored access token as expired: the next call refreshes it first. Safe any time. */
export async function expireStoredAccessToken(userId: string): Promise<void> {
  await db.account.updateMany({ where: { userId, provider: "atlassian" }, data: { expires_at: 1 } });
}

export const ticketInput = (integrationId: string, title: string): CreateTicketInput => ({
  title,
  description: "Filed by the outbox tests.",
  category: "general",
  priority: "medium",
  integrationId,
});

/** Replaces the sandbox's faults; scoped to the globex-demo API-token address unless paths are given. */
export async function setFaults(
  settings: Omit<FaultSettings, "paths"> & { paths?: string[] },
): Promise<void> {
  const response = await sandboxAdmin("/faults", { paths: [GLOBEX_SITE_PATH], ...settings });
  if (response.status !== 200)
    throw new Error(`Sandbox refused the faults: ${JSON.stringify(response.body)}`);
}

export const clearFaults = () => setFaults({ paths: [GLOBEX_SITE_PATH] });

/** Counted faults the sandbox has yet to inflict. */
export async function faultsLeft(): Promise<number> {
  const settings = (await sandboxAdmin("/faults")).body as FaultSettings;
  return [settings.rateLimit, settings.serverError, settings.timeout, settings.dropResponseAfterCreate]
    .map((fault) => fault?.count ?? 0)
    .reduce((sum, count) => sum + count, 0);
}

/** How many sandbox issues on globex-demo carry each ExternalIssue's idempotency label. */
export async function issuesPerMarker(externalIssueIds: string[]): Promise<Map<string, number>> {
  const response = await sandboxAdmin(`/issues?site=${GLOBEX.name}`);
  const issues = response.body as { labels: string[] }[];
  const counts = new Map(externalIssueIds.map((id) => [id, 0]));
  for (const issue of issues) {
    for (const label of issue.labels) {
      const id = label.startsWith("tb-ref-") ? label.slice("tb-ref-".length) : null;
      if (id && counts.has(id)) counts.set(id, counts.get(id)! + 1);
    }
  }
  return counts;
}

/**
 * Rows as createTicket writes them (ticket, PENDING external issue, job in one transaction) but
 * with no inline run and the job due at once: as if the web process died right after committing.
 */
let ticketNumber = 0;
export async function committedTickets(
  viewer: Viewer,
  integrationId: string,
  count: number,
  { withJob = true } = {},
) {
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    const number = ++ticketNumber;
    await db.$transaction(async (tx) => {
      const ticket = await tx.ticket.create({
        data: {
          organizationId: viewer.organizationId,
          number,
          title: unique("Committed"),
          description: "Filed by the job queue tests.",
          category: "general",
          priority: "medium",
        },
      });
      const externalIssue = await tx.externalIssue.create({
        data: { organizationId: viewer.organizationId, integrationId, ticketId: ticket.id },
      });
      if (withJob) await queueExternalIssueAttempt(tx, externalIssue.id, new Date());
      ids.push(externalIssue.id);
    });
  }
  return ids;
}

/** Polls until `check` holds; fails with `message` (and the last value seen) after `timeoutMs`. */
export async function waitUntil<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  { timeoutMs = 20_000, intervalMs = 100, message = "condition" } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting for ${message}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Sync states of the given rows, counted. */
export async function syncStates(externalIssueIds: string[]): Promise<Record<string, number>> {
  const rows = await db.externalIssue.groupBy({
    by: ["syncState"],
    where: { id: { in: externalIssueIds } },
    _count: true,
  });
  return Object.fromEntries(rows.map((row) => [row.syncState, row._count]));
}

/** The pg-boss jobs of one row, oldest first. */
export async function jobsOf(externalIssueId: string) {
  return db.$queryRaw<{ state: string; startAfter: Date }[]>`
    SELECT state::text AS state, start_after AS "startAfter" FROM pgboss.job
    WHERE name = ${QUEUES.externalIssue.name} AND data->>'externalIssueId' = ${externalIssueId}
    ORDER BY created_on`;
}

export async function auditActions(externalIssueId: string): Promise<string[]> {
  const events = await db.auditEvent.findMany({
    where: { entityType: "ExternalIssue", entityId: externalIssueId },
    orderBy: { createdAt: "asc" },
  });
  return events.map((event) => event.action);
}
