import "server-only";

import { env } from "~/env";
import type { PrismaClient } from "~/generated/prisma/client";
import { db } from "~/server/db";
import { logger } from "~/server/logger";

/**
 * Rate limits shared by every process of the app: a fixed-window counter per key in the
 * RateLimitCounter table. Windows follow the database's clock (now() in SQL), so web processes on
 * different machines put a request in the same window; one INSERT … ON CONFLICT DO UPDATE per
 * check counts it atomically, however many processes check the same key at once.
 */

export type RateLimitRule = { limit: number; windowSeconds: number };

export const RATE_LIMITS = {
  /** tRPC calls of a CUSTOMER, per user. */
  customer: { limit: env.RATE_LIMIT_CUSTOMER_PER_MINUTE, windowSeconds: 60 },
  /** tRPC calls of an OWNER, ADMIN or AGENT, per user. */
  staff: { limit: env.RATE_LIMIT_STAFF_PER_MINUTE, windowSeconds: 60 },
  /** Incoming webhook deliveries, per integration. */
  webhook: { limit: 100, windowSeconds: 60 },
} as const satisfies Record<string, RateLimitRule>;

export type RateLimitResult = {
  /** Whether this request is within the limit (it was counted either way). */
  allowed: boolean;
  /** Requests still allowed in the current window. */
  remaining: number;
  /** Seconds until the current window ends and the count starts again (at least 1). */
  retryAfterSeconds: number;
  limit: number;
};

/** Anything that runs raw SQL: the app's client, another instance's, or a transaction. */
export type RateLimitClient = Pick<PrismaClient, "$queryRaw" | "$executeRaw">;

/** How often one process deletes counters of windows that have ended. */
const CLEANUP_INTERVAL_MS = 60_000;
let nextCleanupAt = 0;

/**
 * Counts one request against `key` and says whether it is allowed: at most `limit` requests per
 * fixed window of `windowSeconds` (aligned to the epoch in the database's clock).
 */
export async function checkRateLimit(
  { key, limit, windowSeconds }: { key: string; limit: number; windowSeconds: number },
  client: RateLimitClient = db,
): Promise<RateLimitResult> {
  if (!Number.isInteger(windowSeconds) || windowSeconds < 1) {
    throw new RangeError(`windowSeconds must be a whole number of seconds ≥ 1, got ${windowSeconds}`);
  }
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError(`limit must be a whole number ≥ 0, got ${limit}`);
  }
  cleanUpNowAndThen(client);

  // Timestamps are stored as UTC in `timestamp without time zone` columns (as Prisma writes them),
  // so the window is computed on now() at UTC; the window of the returned row says when it ends.
  const [row] = await client.$queryRaw<{ count: number; retryAfterSeconds: number }[]>`
    INSERT INTO "RateLimitCounter" (key, "windowStart", count, "expiresAt")
    SELECT ${key}, w.start, 1, w.start + ${windowSeconds}::int * interval '1 second'
    FROM (
      SELECT to_timestamp(floor(extract(epoch FROM now()) / ${windowSeconds}::int) * ${windowSeconds}::int)
        AT TIME ZONE 'UTC' AS start
    ) AS w
    ON CONFLICT (key, "windowStart") DO UPDATE SET count = "RateLimitCounter".count + 1
    RETURNING
      count,
      GREATEST(1, ceil(
        extract(epoch FROM "windowStart") + ${windowSeconds}::int - extract(epoch FROM now())
      ))::int AS "retryAfterSeconds"`;
  if (!row) throw new Error("The rate limit counter returned no row.");

  const count = Number(row.count);
  return {
    allowed: count <= limit,
    remaining: Math.max(0, limit - count),
    retryAfterSeconds: Number(row.retryAfterSeconds),
    limit,
  };
}

/** Deletes counters whose window has ended; resolves to how many. */
export async function deleteExpiredRateLimitCounters(client: RateLimitClient = db): Promise<number> {
  return client.$executeRaw`
    DELETE FROM "RateLimitCounter" WHERE "expiresAt" < (now() AT TIME ZONE 'UTC')`;
}

/** At most once a minute per process, in the background: never on the request's path. */
function cleanUpNowAndThen(client: RateLimitClient) {
  const now = Date.now();
  if (now < nextCleanupAt) return;
  nextCleanupAt = now + CLEANUP_INTERVAL_MS;
  deleteExpiredRateLimitCounters(client).catch((err: unknown) => {
    logger.warn({ err }, "deleting expired rate limit counters failed");
  });
}

/** The message for a refused request, with a wait a person can act on. */
export function rateLimitMessage(retryAfterSeconds: number): string {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return `Too many requests. Try again in ${seconds} ${seconds === 1 ? "second" : "seconds"}.`;
}
