import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { database, db } from "~/server/db";
import { setupTestDatabase, unique } from "~/test/db";

import { jobInsertSql, jobQueue, transactionExecutor } from "./boss";
import { QUEUES } from "./queues";

/**
 * pg-boss on the app's database: PGlite by default (through `embeddedExecutor`), PostgreSQL when
 * DATABASE_URL is set. Each test file has a database, and so a queue, of its own.
 */

setupTestDatabase();

let boss: PgBoss;
const queue = unique("test_boss").replace(/-/g, "_");

beforeAll(async () => {
  boss = await jobQueue();
  await boss.createQueue(queue, { name: queue, retryLimit: 1, retryDelay: 0 });
});
afterAll(async () => {
  // pg-boss refuses to drop a queue that still holds jobs.
  await db.$executeRaw`DELETE FROM pgboss.job WHERE name = ${queue}`;
  await boss.deleteQueue(queue);
});

const stateOf = async (id: string) => (await boss.getJobById(queue, id))?.state;

describe(`pg-boss on ${database.mode}`, () => {
  it("installs its schema and the app's queues", async () => {
    expect(await boss.isInstalled()).toBe(true);
    expect(Number(await boss.schemaVersion())).toBeGreaterThanOrEqual(24);
    expect(await boss.getQueue(QUEUES.externalIssue.name)).toMatchObject({
      retryLimit: QUEUES.externalIssue.retryLimit,
      expireInSeconds: QUEUES.externalIssue.expireInSeconds,
    });
  });

  it("sends, fetches (SKIP LOCKED: one taker per job) and completes", async () => {
    const id = await boss.send(queue, { n: 1 });
    const [first, second] = await Promise.all([boss.fetch(queue), boss.fetch(queue)]);
    expect([...(first ?? []), ...(second ?? [])].map((job) => job.id)).toEqual([id]);
    expect(await stateOf(id!)).toBe("active");
    await boss.complete(queue, id!);
    expect(await stateOf(id!)).toBe("completed");
  });

  it("holds a job until its start time", async () => {
    const id = await boss.send(queue, { n: 2 }, { startAfter: new Date(Date.now() + 1_500) });
    expect(await boss.fetch(queue)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    expect((await boss.fetch(queue)).map((job) => job.id)).toEqual([id]);
    await boss.complete(queue, id!);
  });

  it("runs a handler for each job", async () => {
    const seen: unknown[] = [];
    const worker = await boss.work<{ n: number }>(queue, { pollingIntervalSeconds: 0.5 }, async ([job]) => {
      seen.push(job?.data.n);
    });
    await boss.send(queue, { n: 3 });
    await expect.poll(() => seen, { timeout: 5_000 }).toEqual([3]);
    await boss.offWork({ id: worker });
  });

  it("queues inside a Prisma transaction: rolled back, the job never existed; committed, it is there", async () => {
    const rolledBack = unique("rolled-back");
    await expect(
      db.$transaction(async (tx) => {
        await boss.send(queue, { marker: rolledBack }, { db: transactionExecutor(tx) });
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    const committed = await db.$transaction((tx) =>
      boss.send(queue, { marker: "kept" }, { db: transactionExecutor(tx) }),
    );

    const count = (marker: string) =>
      db.$queryRaw<{ count: number }[]>`
        SELECT count(*)::int AS count FROM pgboss.job WHERE name = ${queue} AND data->>'marker' = ${marker}`;
    expect(await count(rolledBack)).toEqual([{ count: 0 }]);
    expect(await stateOf(committed!)).toBe("created");
    await boss.cancel(queue, committed!);
  });

  it("maintenance fails a job whose worker vanished and queues its retry", async () => {
    const id = await boss.send(queue, { n: 4 }, { expireInSeconds: 1 });
    expect((await boss.fetch(queue)).map((job) => job.id)).toEqual([id]);
    // Nobody completes it, as when the process that fetched it was killed.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await boss.maintain();
    expect(await stateOf(id!)).toBe("retry");
    expect((await boss.fetch(queue)).map((job) => job.id)).toEqual([id]);
    await boss.complete(queue, id!);
  });

  it("stores cron schedules", async () => {
    await boss.schedule(queue, "*/5 * * * *", { n: 5 });
    expect((await boss.getSchedules()).find((schedule) => schedule.name === queue)).toMatchObject({
      cron: "*/5 * * * *",
      data: { n: 5 },
    });
    await boss.unschedule(queue);
  });

  it("nests pg-boss's own job insert in a statement of the app: written with it, or refused with no row", async () => {
    const startAfter = new Date(Date.now() + 60_000);
    const marker = unique("nested");
    const nested = await jobInsertSql(queue, { marker }, { startAfter });
    const [written] = await db.$queryRaw<{ id: string }[]>`WITH job AS (${nested}) SELECT id FROM job`;
    const job = await boss.getJobById(queue, written!.id);
    expect(job).toMatchObject({ name: queue, data: { marker }, state: "created" });
    expect(job!.startAfter.getTime()).toBe(startAfter.getTime());

    const refused = await jobInsertSql("no_such_queue", { marker }, { startAfter });
    expect(await db.$queryRaw`WITH job AS (${refused}) SELECT id FROM job`).toEqual([]);
  });
});
