import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from "vitest";

import { env } from "~/env";
import type { Viewer } from "~/server/api/trpc";
import { db } from "~/server/db";
import { runExternalIssueJob } from "~/server/jobs/external-issue-worker";
import {
  auditActions,
  clearFaults,
  connectApiToken,
  connectOAuth,
  expireStoredAccessToken,
  faultsLeft,
  GLOBEX_SITE_PATH,
  issuesPerMarker,
  jobsOf,
  newOrganization,
  rejectStoredAccessToken,
  setFaults,
  syncStates,
  TEST_RETRY_POLICY,
  TEST_WORKERS,
  ticketInput,
  waitUntil,
} from "~/server/jobs/test-support";
import { setRetryPolicy } from "~/server/jobs/retry-policy";
import { startWorkers, stopWorkers } from "~/server/jobs/workers";
import { readAccountTokens } from "~/server/services/accounts/accounts";
import { updateIntegration } from "~/server/services/integrations/integrations";
import { setupTestDatabase, unique } from "~/test/db";

import { basicAuth } from "../../../../sandbox/test-helpers";
import { uploadScreenshot } from "~/server/services/attachments/attachments";
import { sandboxUrl } from "~/test/atlassian";

import { queueAttachmentChanges, sendExternalChange } from "./external-changes";
import { addTicketComment } from "./ticket-changes";
import { enqueueExternalIssueCreation } from "./outbox";
import { createTicket } from "./tickets";

/**
 * The outbox against the sandbox: retries (5xx, 429 with Retry-After, rejected credentials, the
 * attempt limit) and idempotency (the issue is created but the answer is lost). Every test that
 * sets sandbox faults lives in this file, so they never overwrite each other's.
 */

setupTestDatabase();

beforeAll(async () => {
  await startWorkers(TEST_WORKERS);
});
afterEach(async () => {
  await clearFaults();
});
afterAll(async () => {
  await stopWorkers({ graceMs: 1_000 });
});

async function fileTicket(viewer: Viewer, integrationId: string, inlineDeadlineMs = 5_000) {
  const { integrationResult } = await createTicket(viewer, ticketInput(integrationId, unique("Outbox")), {
    inlineDeadlineMs,
  });
  return integrationResult!.externalIssueId;
}

const row = (id: string) => db.externalIssue.findUniqueOrThrow({ where: { id } });
const settled = (id: string) =>
  waitUntil(
    () => row(id),
    (issue) => issue.syncState !== "PENDING",
    { message: `ExternalIssue ${id} to settle` },
  );

async function connected() {
  const viewer = await newOrganization();
  return { viewer, integrationId: await connectApiToken(viewer) };
}

describe("queueing with the row", () => {
  it("queues a safety-net job past the inline deadline and lease; once created, the job steps aside", async () => {
    const { viewer, integrationId } = await connected();
    const before = Date.now();
    const id = await fileTicket(viewer, integrationId);

    expect(await row(id)).toMatchObject({ syncState: "CREATED", attempts: 1 });
    const jobs = await jobsOf(id);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.startAfter.getTime()).toBeGreaterThanOrEqual(
      before + env.INLINE_CREATION_DEADLINE_MS + 60_000,
    );

    expect(await runExternalIssueJob(id)).toBe("not_due");
    expect((await row(id)).attempts).toBe(1);
    expect(await issuesPerMarker([id])).toEqual(new Map([[id, 1]]));
  });

  it("a failure inside the creation transaction leaves no ticket, no external issue and no job", async () => {
    const { viewer, integrationId } = await connected();
    const title = unique("Rolled back");
    let externalIssueId = "";
    await expect(
      db.$transaction(async (tx) => {
        const ticket = await tx.ticket.create({
          data: {
            organizationId: viewer.organizationId,
            number: 1,
            title,
            description: "",
            category: "general",
            priority: "low",
          },
        });
        const externalIssue = await tx.externalIssue.create({
          data: { organizationId: viewer.organizationId, integrationId, ticketId: ticket.id },
        });
        externalIssueId = externalIssue.id;
        await enqueueExternalIssueCreation(tx, externalIssue.id);
        expect(
          await tx.$queryRaw`SELECT 1 FROM pgboss.job WHERE data->>'externalIssueId' = ${externalIssue.id}`,
        ).toHaveLength(1);
        throw new Error("something later in the transaction failed");
      }),
    ).rejects.toThrow("something later");

    expect(externalIssueId).not.toBe("");
    expect(await db.ticket.count({ where: { title } })).toBe(0);
    expect(await db.externalIssue.count({ where: { id: externalIssueId } })).toBe(0);
    expect(await jobsOf(externalIssueId)).toEqual([]);
  });
});

describe("retries", () => {
  it("5xx twice, then success: retried with backoff, created once", async () => {
    const { viewer, integrationId } = await connected();
    await setFaults({ serverError: { count: 2, status: 503 } });
    const id = await fileTicket(viewer, integrationId);

    const done = await settled(id);
    expect(done).toMatchObject({ syncState: "CREATED", attempts: 3, nextAttemptAt: null, lastError: null });
    expect(await auditActions(id)).toEqual([
      "external_issue.retry_scheduled",
      "external_issue.retry_scheduled",
      "external_issue.created",
    ]);
    expect(await issuesPerMarker([id])).toEqual(new Map([[id, 1]]));
  });

  it("429: the next attempt waits at least as long as Retry-After says", async () => {
    const { viewer, integrationId } = await connected();
    await setFaults({ rateLimit: { count: 1, retryAfterSeconds: 2 } });
    const before = Date.now();
    const id = await fileTicket(viewer, integrationId);

    const waiting = await row(id);
    expect(waiting.syncState).toBe("PENDING");
    expect(waiting.lastError).toMatch(/rate|limit|429/i);
    expect(waiting.nextAttemptAt!.getTime()).toBeGreaterThanOrEqual(before + 2_000);

    expect(await settled(id)).toMatchObject({ syncState: "CREATED", attempts: 2 });
    const created = await db.auditEvent.findFirstOrThrow({
      where: { entityId: id, action: "external_issue.created" },
    });
    expect(created.createdAt.getTime()).toBeGreaterThanOrEqual(waiting.nextAttemptAt!.getTime());
  });

  it("rejected credentials: FAILED at once, never retried, and the integration goes EXPIRED", async () => {
    const { viewer, integrationId } = await connected();
    await updateIntegration(viewer, { id: integrationId, credentials: { apiToken: "revoked-token" } });
    const id = await fileTicket(viewer, integrationId);

    const failed = await row(id);
    expect(failed).toMatchObject({ syncState: "FAILED", attempts: 1, nextAttemptAt: null });
    expect(failed.lastError).toMatch(/API token/);
    expect((await db.integration.findUniqueOrThrow({ where: { id: integrationId } })).status).toBe("EXPIRED");

    // The safety-net job queued with the row finds nothing to do.
    expect(await runExternalIssueJob(id)).toBe("not_due");
    expect((await row(id)).attempts).toBe(1);
    expect(await auditActions(id)).toEqual(["external_issue.failed"]);
  });

  it("gives up after the attempt limit: FAILED with the last error", async () => {
    const { viewer, integrationId } = await connected();
    await setFaults({ serverError: { count: TEST_RETRY_POLICY.maxAttempts, status: 502 } });
    const id = await fileTicket(viewer, integrationId);

    const failed = await settled(id);
    expect(failed).toMatchObject({ syncState: "FAILED", attempts: 8, nextAttemptAt: null });
    expect(failed.lastError).toMatch(/^Gave up after 8 attempts\. Last error: .*HTTP 502/);
    expect(await auditActions(id)).toEqual([
      ...Array(7).fill("external_issue.retry_scheduled"),
      "external_issue.failed",
    ]);
    expect(await issuesPerMarker([id])).toEqual(new Map([[id, 0]]));
    // Eight failures stay below the integration's threshold (20): it is still usable.
    expect((await db.integration.findUniqueOrThrow({ where: { id: integrationId } })).status).toBe("ACTIVE");
  });

  it("an integration paused for rate limiting holds the row without spending its attempts", async () => {
    const { viewer, integrationId } = await connected();
    await setFaults({ rateLimit: { count: 1, retryAfterSeconds: 1 } });
    const id = await fileTicket(viewer, integrationId);
    // Meanwhile the lifecycle pauses the integration (as after repeated 429s) past the retry.
    const suspendedUntil = new Date(Date.now() + 2_500);
    await db.integration.update({
      where: { id: integrationId },
      data: { status: "SUSPENDED", suspendedUntil },
    });

    const done = await settled(id);
    expect(done).toMatchObject({ syncState: "CREATED", attempts: 2 });
    const events = await db.auditEvent.findMany({ where: { entityId: id }, orderBy: { createdAt: "asc" } });
    expect(events.map((event) => event.action)).toEqual([
      "external_issue.retry_scheduled",
      "external_issue.retry_scheduled",
      "external_issue.created",
    ]);
    expect(events[1]!.reason).toMatch(/paused/);
    expect(events[2]!.createdAt.getTime()).toBeGreaterThanOrEqual(suspendedUntil.getTime());
    expect((await db.integration.findUniqueOrThrow({ where: { id: integrationId } })).status).toBe("ACTIVE");
  });
});

describe("no duplicates: an issue created whose answer was lost is adopted", () => {
  it.each([
    ["the request times out after creating", { timeout: { count: 1, afterCreate: true, hangMs: 300 } }],
    ["the connection drops after creating", { dropResponseAfterCreate: { count: 1 } }],
  ] as const)("%s", async (_, faults) => {
    const { viewer, integrationId } = await connected();
    await setFaults(faults);
    const id = await fileTicket(viewer, integrationId);

    const done = await settled(id);
    expect(done).toMatchObject({ syncState: "CREATED", attempts: 2 });
    expect(await auditActions(id)).toEqual(["external_issue.retry_scheduled", "external_issue.adopted"]);
    expect(await issuesPerMarker([id])).toEqual(new Map([[id, 1]]));
  });
});

describe("fault test", () => {
  /**
   * Spread over a few organizations: each creation holds its organization's ticket-number row
   * lock, and 200 at once in one organization queue on it close to Prisma's 2 s limit for
   * starting a transaction on PostgreSQL, which is the ticket service's matter, not the outbox's.
   */
  const ORGANIZATIONS = 4;

  it("200 tickets filed at once under 5xx, 429, timeouts after creating and expiring tokens: each gets exactly one issue", async () => {
    // Four organizations, each with a Jira reached by API token (where the sandbox's faults
    // strike) and one reached through the user's Atlassian grant (where the tokens expire).
    const organizations = await Promise.all(
      Array.from({ length: ORGANIZATIONS }, async () => {
        const viewer = await newOrganization();
        const apiToken = await connectApiToken(viewer);
        const oauth = await connectOAuth(viewer);
        return { viewer, apiToken, oauth, grantBefore: await readAccountTokens(viewer.userId, "atlassian") };
      }),
    );
    const users = organizations.map(({ viewer }) => viewer.userId);

    // 200 creations at once overload the sandbox: a request can wait in its queue past our
    // timeout and create its issue later. Retries after an unanswered request wait long enough
    // for it to land (in production: a minute), so their lookup finds that issue.
    setRetryPolicy({ unansweredSettleMs: 30_000 });
    onTestFinished(() => setRetryPolicy({ unansweredSettleMs: TEST_RETRY_POLICY.unansweredSettleMs }));

    // The first requests answer 429 (Retry-After 1 s) and 503; the first creations succeed but
    // their answer never arrives (a timeout, a dropped connection). Failures in a row stay under
    // an integration's threshold (20): more would rightly mark it ERROR and fail what is pending.
    await setFaults({
      rateLimit: { count: 3, retryAfterSeconds: 1 },
      serverError: { count: 8, status: 503 },
      timeout: { count: 5, afterCreate: true, hangMs: 300 },
      dropResponseAfterCreate: { count: 3 },
    });
    // The stored access tokens are refused (401) from the first call, and expire again mid-run.
    await Promise.all(users.map(rejectStoredAccessToken));
    const expireAgain = setTimeout(() => void Promise.all(users.map(expireStoredAccessToken)), 1_000);

    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, n) => {
        const { viewer, apiToken, oauth } = organizations[n % ORGANIZATIONS]!;
        const integrationId = Math.floor(n / 4) % 2 === 0 ? apiToken : oauth;
        return createTicket(viewer, ticketInput(integrationId, `Fault test #${n}`), {
          inlineDeadlineMs: 200,
        });
      }),
    );
    const filedMs = Date.now() - started;
    // Once the first wave is spent, a second one strikes the retries.
    await waitUntil(faultsLeft, (left) => left === 0, {
      timeoutMs: 30_000,
      message: "the first wave of faults",
    });
    await setFaults({
      rateLimit: { count: 1, retryAfterSeconds: 1 },
      serverError: { count: 3, status: 500 },
    });
    clearTimeout(expireAgain);
    const ids = results.map((result) => result.integrationResult!.externalIssueId);
    expect(new Set(ids).size).toBe(200);

    await waitUntil(
      () => syncStates(ids),
      (states) => !states.PENDING,
      // Alone it drains in ~15 s; under a full parallel run on two cores, a row whose runner was
      // starved may wait out its 60 s lease before the next attempt.
      { timeoutMs: 240_000, intervalMs: 250, message: "the queue to drain" },
    );
    const drainedMs = Date.now() - started;

    // Zero lost: every ticket is there, every external issue created…
    const organizationIds = organizations.map(({ viewer }) => viewer.organizationId);
    expect(await db.ticket.count({ where: { organizationId: { in: organizationIds } } })).toBe(200);
    expect(await syncStates(ids)).toEqual({ CREATED: 200 });
    // …and zero duplicates: exactly one sandbox issue carries each marker.
    const perMarker = await issuesPerMarker(ids);
    expect([...perMarker.entries()].filter(([, count]) => count !== 1)).toEqual([]);

    // The faults did strike: the answers lost after creating were adopted, not created again,
    const adopted = await db.auditEvent.count({
      where: { entityId: { in: ids }, action: "external_issue.adopted" },
    });
    expect(adopted).toBeGreaterThanOrEqual(5 + 3);
    // the failures were retried,
    const retried = await db.externalIssue.count({ where: { id: { in: ids }, attempts: { gt: 1 } } });
    expect(retried).toBeGreaterThanOrEqual(3 + 8 + 5 + 3);
    // and the refused tokens were refreshed (Atlassian rotates the refresh token on each refresh).
    for (const { viewer, grantBefore } of organizations) {
      const grantAfter = await readAccountTokens(viewer.userId, "atlassian");
      expect(grantAfter?.refreshToken).not.toBe(grantBefore?.refreshToken);
    }
    const statuses = await db.integration.findMany({
      where: { organizationId: { in: organizationIds } },
      select: { status: true },
    });
    expect(statuses.map(({ status }) => status)).toEqual(Array(2 * ORGANIZATIONS).fill("ACTIVE"));
    console.info(
      `fault test: 200 tickets filed in ${filedMs} ms, all created in ${drainedMs} ms; ${retried} retried, ${adopted} adopted`,
    );
  }, 300_000);
});

describe("screenshots: an upload whose answer was lost is adopted, not attached twice", () => {
  it("the connection drops after Jira stored the file; the retry finds it by name and size", async () => {
    const { viewer, integrationId } = await connected();
    const externalIssueId = await fileTicket(viewer, integrationId);
    const link = await row(externalIssueId);
    const { ticketId, externalId } = link;
    const png = Buffer.from(
      "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201ffa65e0c0000000049454e44ae426082",
      "hex",
    );
    const shot = await uploadScreenshot(viewer, { filename: "lost.png", data: png });
    const [changeId] = await db.$transaction(async (tx) => {
      await tx.attachment.update({ where: { id: shot.id }, data: { ticketId } });
      return queueAttachmentChanges(tx, ticketId!, [shot.id]);
    });
    await setFaults({
      dropResponseAfterCreate: { count: 1 },
      paths: [`${GLOBEX_SITE_PATH}/rest/api/3/issue/${externalId}/attachments`],
    });

    expect(await sendExternalChange(changeId!)).toBe("RETRY");
    const sent = await waitUntil(
      () => db.externalChange.findUniqueOrThrow({ where: { id: changeId! } }),
      (change) => change.syncState !== "PENDING",
      { message: "the screenshot to be sent" },
    );
    expect(sent).toMatchObject({ syncState: "CREATED", attempts: 2 });
    const onIssue = (await sandboxIssueAttachments(externalId!)).filter(
      (file) => file.filename === "lost.png",
    );
    expect(onIssue).toHaveLength(1);
    expect((await db.attachment.findUniqueOrThrow({ where: { id: shot.id } })).externalId).toBe(
      onIssue[0]!.id,
    );
    const reasons = await db.auditEvent.findMany({
      where: { entityId: externalIssueId, action: "external_change.sent" },
      select: { reason: true },
    });
    expect(reasons.map((event) => event.reason)).toEqual([
      expect.stringMatching(/^Found “lost\.png”, uploaded by an earlier attempt whose answer was lost/),
    ]);
  });
});

describe("comments: one whose answer was lost is adopted, not posted twice", () => {
  it("the connection drops after Jira stored the comment; the retry finds it by its marker", async () => {
    const { viewer, integrationId } = await connected();
    const externalIssueId = await fileTicket(viewer, integrationId);
    const { ticketId, externalId } = await row(externalIssueId);
    await setFaults({
      dropResponseAfterCreate: { count: 1 },
      paths: [`${GLOBEX_SITE_PATH}/rest/api/3/issue/${externalId}/comment`],
    });

    const { commentId, externalChanges } = await addTicketComment(viewer, {
      ticketId: ticketId!,
      body: "Fixed in 1.2",
      internal: false,
    });
    const sent = await waitUntil(
      () => db.externalChange.findUniqueOrThrow({ where: { id: externalChanges[0]!.id } }),
      (change) => change.syncState !== "PENDING",
      { message: "the comment to be sent" },
    );

    expect(sent).toMatchObject({ syncState: "CREATED", attempts: 2 });
    const response = await fetch(
      `${sandboxUrl()}${GLOBEX_SITE_PATH}/rest/api/3/issue/${externalId}/comment`,
      {
        headers: { Authorization: basicAuth() },
      },
    );
    const { comments } = (await response.json()) as { comments: { id: string }[] };
    expect(comments).toHaveLength(1);
    expect((await db.comment.findUniqueOrThrow({ where: { id: commentId } })).externalId).toBe(
      comments[0]!.id,
    );
    const reasons = await db.auditEvent.findMany({
      where: { entityId: externalIssueId, action: "external_change.sent" },
      select: { reason: true },
    });
    expect(reasons.map((event) => event.reason)).toEqual([
      expect.stringMatching(/^Found a comment, added by an earlier attempt whose answer was lost/),
    ]);
  });
});

async function sandboxIssueAttachments(issueId: string) {
  const response = await fetch(
    `${sandboxUrl()}${GLOBEX_SITE_PATH}/rest/api/3/issue/${issueId}?fields=attachment`,
    {
      headers: { Authorization: basicAuth() },
    },
  );
  return ((await response.json()) as { fields: { attachment: { id: string; filename: string }[] } }).fields
    .attachment;
}
