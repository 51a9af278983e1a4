import { afterAll, describe, expect, it } from "vitest";

import { db } from "~/server/db";
import { providerForIntegration } from "~/server/services/integrations/integrations";
import { setupTestDatabase } from "~/test/db";

import { runningJobQueue } from "./boss";
import { liveJobCount, requeueStalledExternalIssues } from "./external-issue-jobs";
import {
  auditActions,
  committedTickets,
  connectOAuth,
  issuesPerMarker,
  newOrganization,
  syncStates,
  TEST_WORKERS,
  waitUntil,
} from "./test-support";
import { startWorkers, stopWorkers } from "./workers";

/**
 * Workers that stop or die mid-run. No sandbox faults here (those belong to the outbox tests):
 * the integration is reached through Ada's Atlassian grant on globex-demo.
 */

setupTestDatabase();

afterAll(async () => {
  await stopWorkers({ graceMs: 1_000 });
});

const allCreated = (ids: string[]) =>
  waitUntil(
    () => syncStates(ids),
    (states) => states.CREATED === ids.length,
    { timeoutMs: 60_000, intervalMs: 200, message: "every issue to be created" },
  );

describe("stopping the workers mid-run", () => {
  it("loses nothing and duplicates nothing: what was queued runs once they start again", async () => {
    const viewer = await newOrganization();
    const integrationId = await connectOAuth(viewer);
    const ids = await committedTickets(viewer, integrationId, 30);

    await startWorkers({ ...TEST_WORKERS, concurrency: 2 });
    await waitUntil(
      () => syncStates(ids),
      (states) => (states.CREATED ?? 0) >= 3,
      { message: "the first issues" },
    );
    // Stopped like a deploy stops it: jobs in hand get a moment, the rest stay queued.
    await stopWorkers({ graceMs: 1_000 });
    expect(runningJobQueue()).toBeNull();

    const pending = await db.externalIssue.findMany({ where: { id: { in: ids }, syncState: "PENDING" } });
    expect(pending.length).toBeGreaterThan(0);
    for (const { id } of pending) {
      // Still queued, unless it was in hand when the grace ran out and has just finished.
      const created = (await db.externalIssue.findUniqueOrThrow({ where: { id } })).syncState === "CREATED";
      expect(created || (await liveJobCount(id)) > 0).toBe(true);
    }

    await startWorkers(TEST_WORKERS);
    await allCreated(ids);
    const perMarker = await issuesPerMarker(ids);
    expect([...perMarker.values()]).toEqual(Array(ids.length).fill(1));
    expect(await db.externalIssue.count({ where: { id: { in: ids }, attempts: { not: 1 } } })).toBe(0);
  }, 90_000);
});

describe("the sweep", () => {
  it("requeues a row whose worker died mid-attempt, and the issue it had created is adopted", async () => {
    const viewer = await newOrganization();
    const integrationId = await connectOAuth(viewer);
    const [crashed] = await committedTickets(viewer, integrationId, 1, { withJob: false });
    const [leased] = await committedTickets(viewer, integrationId, 1, { withJob: false });
    const [queued] = await committedTickets(viewer, integrationId, 1);
    if (!crashed || !leased || !queued) throw new Error("rows not written");

    // The dead worker had taken the lease (now expired), created the issue, and died before
    // recording it or queueing anything.
    const provider = providerForIntegration(
      await db.integration.findUniqueOrThrow({ where: { id: integrationId } }),
    );
    const orphan = await provider.createIssue({
      marker: crashed,
      title: "Created before the crash",
      description: "",
      issueType: "Task",
    });
    await db.externalIssue.update({
      where: { id: crashed },
      data: { attempts: 1, leaseUntil: new Date(Date.now() - 1_000) },
    });
    // Someone is working on this one right now.
    await db.externalIssue.update({
      where: { id: leased },
      data: { attempts: 1, leaseUntil: new Date(Date.now() + 60_000) },
    });

    const requeued = await requeueStalledExternalIssues();
    expect(requeued).toContain(crashed);
    expect(requeued).not.toContain(leased);
    expect(requeued).not.toContain(queued);
    expect(await liveJobCount(crashed)).toBe(1);
    expect(await liveJobCount(queued)).toBe(1);

    await startWorkers(TEST_WORKERS);
    await allCreated([crashed, queued]);
    expect(await db.externalIssue.findUniqueOrThrow({ where: { id: crashed } })).toMatchObject({
      externalKey: orphan.key,
      attempts: 2,
    });
    expect(await auditActions(crashed)).toEqual(["external_issue.adopted"]);
    expect(await issuesPerMarker([crashed, queued, leased])).toEqual(
      new Map([
        [crashed, 1],
        [queued, 1],
        [leased, 0],
      ]),
    );
  }, 60_000);
});
