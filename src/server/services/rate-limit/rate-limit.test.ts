import { PrismaPg } from "@prisma/adapter-pg";
import { afterEach, describe, expect, it, vi } from "vitest";

import { env, loadEnv } from "~/env";
import { PrismaClient } from "~/generated/prisma/client";
import { database, db } from "~/server/db";
import { setupTestDatabase, unique } from "~/test/db";

import {
  checkRateLimit,
  deleteExpiredRateLimitCounters,
  RATE_LIMITS,
  rateLimitMessage,
  type RateLimitResult,
} from "./rate-limit";
import { roomInWindow, sleep } from "./test-support";

setupTestDatabase();

afterEach(() => {
  vi.restoreAllMocks();
});

const countOf = async (key: string) =>
  (await db.rateLimitCounter.findMany({ where: { key } })).reduce((sum, row) => sum + row.count, 0);

describe("checkRateLimit", () => {
  it("counts calls within a window and refuses the one past the limit, saying how long to wait", async () => {
    const key = unique("count");
    const rule = { key, limit: 5, windowSeconds: 3_600 };
    await roomInWindow(rule.windowSeconds, 30);

    const results: RateLimitResult[] = [];
    for (let call = 0; call < 6; call++) results.push(await checkRateLimit(rule));

    expect(results.map((result) => result.allowed)).toEqual([true, true, true, true, true, false]);
    expect(results.map((result) => result.remaining)).toEqual([4, 3, 2, 1, 0, 0]);
    for (const result of results) {
      expect(result.limit).toBe(5);
      expect(result.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(result.retryAfterSeconds).toBeLessThanOrEqual(rule.windowSeconds);
    }
    expect(await countOf(key)).toBe(6);
  });

  it("keeps one counter per key", async () => {
    const [first, second] = [unique("key-a"), unique("key-b")];
    await roomInWindow(60, 10);
    expect((await checkRateLimit({ key: first, limit: 1, windowSeconds: 60 })).allowed).toBe(true);
    expect((await checkRateLimit({ key: first, limit: 1, windowSeconds: 60 })).allowed).toBe(false);
    expect((await checkRateLimit({ key: second, limit: 1, windowSeconds: 60 })).allowed).toBe(true);
  });

  it("stores one row per key and window, aligned to the window and expiring when it ends", async () => {
    const key = unique("row");
    await roomInWindow(60, 10);
    await checkRateLimit({ key, limit: 10, windowSeconds: 60 });
    await checkRateLimit({ key, limit: 10, windowSeconds: 60 });
    const rows = await db.rateLimitCounter.findMany({ where: { key } });
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row!.count).toBe(2);
    expect(row!.windowStart.getTime() % 60_000).toBe(0);
    expect(row!.expiresAt.getTime() - row!.windowStart.getTime()).toBe(60_000);
    // Stored in UTC like every other timestamp: the window is the current one, not hours away.
    expect(Math.abs(row!.windowStart.getTime() - Date.now())).toBeLessThan(120_000);
  });

  it("starts a new window from zero once the window has ended", async () => {
    const rule = { key: unique("window"), limit: 2, windowSeconds: 2 };
    await roomInWindow(rule.windowSeconds, 2);
    expect((await checkRateLimit(rule)).allowed).toBe(true);
    expect((await checkRateLimit(rule)).allowed).toBe(true);
    const refused = await checkRateLimit(rule);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(rule.windowSeconds);

    await sleep(refused.retryAfterSeconds * 1_000 + 100);
    const fresh = await checkRateLimit(rule);
    expect(fresh).toMatchObject({ allowed: true, remaining: 1, limit: 2 });
  });

  it("allows exactly the limit when many checks arrive at once", async () => {
    const rule = { key: unique("burst"), limit: 20, windowSeconds: 3_600 };
    await roomInWindow(rule.windowSeconds, 30);
    const results = await Promise.all(Array.from({ length: 50 }, () => checkRateLimit(rule)));
    expect(results.filter((result) => result.allowed)).toHaveLength(20);
    // Every check saw its own count: remaining 19 … 0 once each, then 0 for the 30 refused.
    expect(
      results
        .filter((result) => result.allowed)
        .map((result) => result.remaining)
        .sort((a, b) => b - a),
    ).toEqual(Array.from({ length: 20 }, (_, index) => 19 - index));
    expect(await countOf(rule.key)).toBe(50);
  });

  it("far from a large limit, counts requests in blocks: fewer statements, the same answers", async () => {
    const rule = { key: unique("blocks"), limit: 1_000, windowSeconds: 3_600 };
    await roomInWindow(rule.windowSeconds, 30);
    const statements = vi.spyOn(db, "$queryRaw");

    const results: RateLimitResult[] = [];
    for (let call = 0; call < 100; call++) results.push(await checkRateLimit(rule));

    expect(results.every((result) => result.allowed)).toBe(true);
    expect(results.map((result) => result.remaining)).toEqual(
      Array.from({ length: 100 }, (_, index) => 999 - index),
    );
    expect(statements.mock.calls.length).toBeLessThanOrEqual(10);
    // Counted ahead by at most one block.
    expect(await countOf(rule.key)).toBeGreaterThanOrEqual(100);
    expect(await countOf(rule.key)).toBeLessThan(100 + 32);
  });

  it("shares a block between requests arriving at once, so exactly the limit passes", async () => {
    const rule = { key: unique("burst-blocks"), limit: 60, windowSeconds: 3_600 };
    await roomInWindow(rule.windowSeconds, 30);

    const results = await Promise.all(Array.from({ length: 75 }, () => checkRateLimit(rule)));

    expect(results.filter((result) => result.allowed)).toHaveLength(60);
    expect((await checkRateLimit(rule)).allowed).toBe(false);
  });

  it("refuses nonsense windows and limits", async () => {
    await expect(checkRateLimit({ key: unique("bad"), limit: 1, windowSeconds: 0 })).rejects.toThrow(
      RangeError,
    );
    await expect(checkRateLimit({ key: unique("bad"), limit: 1, windowSeconds: 1.5 })).rejects.toThrow(
      RangeError,
    );
    await expect(checkRateLimit({ key: unique("bad"), limit: -1, windowSeconds: 60 })).rejects.toThrow(
      RangeError,
    );
  });

  it("has the documented limits: 60 a minute for customers and 300 for staff unless configured", () => {
    const defaults = loadEnv({ NODE_ENV: "test" });
    expect([defaults.RATE_LIMIT_CUSTOMER_PER_MINUTE, defaults.RATE_LIMIT_STAFF_PER_MINUTE]).toEqual([
      60, 300,
    ]);
    expect(RATE_LIMITS.customer).toEqual({ limit: env.RATE_LIMIT_CUSTOMER_PER_MINUTE, windowSeconds: 60 });
    expect(RATE_LIMITS.staff).toEqual({ limit: env.RATE_LIMIT_STAFF_PER_MINUTE, windowSeconds: 60 });
    expect(RATE_LIMITS.webhook).toEqual({ limit: 100, windowSeconds: 60 });
    const configured = loadEnv({
      NODE_ENV: "test",
      RATE_LIMIT_CUSTOMER_PER_MINUTE: "5",
      RATE_LIMIT_STAFF_PER_MINUTE: "7",
    });
    expect([configured.RATE_LIMIT_CUSTOMER_PER_MINUTE, configured.RATE_LIMIT_STAFF_PER_MINUTE]).toEqual([
      5, 7,
    ]);
  });

  it("words the refusal as a sentence with the wait", () => {
    expect(rateLimitMessage(42)).toBe("Too many requests. Try again in 42 seconds.");
    expect(rateLimitMessage(1)).toBe("Too many requests. Try again in 1 second.");
  });
});

describe("expired counters", () => {
  const expiredRow = (key: string) =>
    db.rateLimitCounter.create({
      data: {
        key,
        windowStart: new Date(Date.now() - 3_600_000),
        count: 3,
        expiresAt: new Date(Date.now() - 3_540_000),
      },
    });

  it("deletes the counters of windows that have ended, and only those", async () => {
    const [old, current] = [unique("old"), unique("current")];
    await expiredRow(old);
    await checkRateLimit({ key: current, limit: 5, windowSeconds: 3_600 });
    expect(await deleteExpiredRateLimitCounters()).toBeGreaterThanOrEqual(1);
    expect(await db.rateLimitCounter.count({ where: { key: old } })).toBe(0);
    expect(await db.rateLimitCounter.count({ where: { key: current } })).toBe(1);
  });

  it("are deleted in passing by a check, at most once a minute per process", async () => {
    await checkRateLimit({ key: unique("warm-up"), limit: 5, windowSeconds: 60 });
    await sleep(200); // lets a cleanup the warm-up may have started finish first
    const old = unique("old");
    await expiredRow(old);
    // Within the minute: no cleanup.
    await checkRateLimit({ key: unique("check"), limit: 5, windowSeconds: 60 });
    await sleep(200);
    expect(await db.rateLimitCounter.count({ where: { key: old } })).toBe(1);

    // A minute later (for this process's clock), the next check deletes it.
    const later = Date.now() + 61_000;
    vi.spyOn(Date, "now").mockReturnValue(later);
    await checkRateLimit({ key: unique("check"), limit: 5, windowSeconds: 60 });
    vi.restoreAllMocks();
    const deadline = Date.now() + 5_000;
    while ((await db.rateLimitCounter.count({ where: { key: old } })) > 0 && Date.now() < deadline) {
      await sleep(50);
    }
    expect(await db.rateLimitCounter.count({ where: { key: old } })).toBe(0);
  });
});

describe.runIf(database.mode === "postgres")("on PostgreSQL", () => {
  it("two app instances (separate clients and pools) share one limit", async () => {
    const instances = [0, 1].map(
      () => new PrismaClient({ adapter: new PrismaPg({ connectionString: env.DATABASE_URL! }) }),
    );
    try {
      const [a, b] = instances as [PrismaClient, PrismaClient];
      const rule = { key: unique("shared"), limit: 10, windowSeconds: 3_600 };
      await roomInWindow(rule.windowSeconds, 30);

      // Taking turns: the second instance sees the first one's calls.
      const turns: RateLimitResult[] = [];
      for (let call = 0; call < 6; call++) {
        turns.push(await checkRateLimit(rule, a));
        turns.push(await checkRateLimit(rule, b));
      }
      expect(turns.map((result) => result.remaining)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0, 0]);
      expect(turns.filter((result) => result.allowed)).toHaveLength(10);

      // At once from both: exactly the limit is allowed across them.
      const burst = { ...rule, key: unique("shared-burst") };
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, index) => checkRateLimit(burst, index % 2 === 0 ? a : b)),
      );
      expect(results.filter((result) => result.allowed)).toHaveLength(10);
      expect(await countOf(burst.key)).toBe(40);

      // And they agree on when the window ends: the database's clock, not each process's.
      const waits = await Promise.all([checkRateLimit(rule, a), checkRateLimit(rule, b)]);
      expect(Math.abs(waits[0].retryAfterSeconds - waits[1].retryAfterSeconds)).toBeLessThanOrEqual(1);
    } finally {
      await Promise.all(instances.map((instance) => instance.$disconnect()));
    }
  }, 60_000);
});
