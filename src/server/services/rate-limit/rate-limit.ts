import "server-only";

import { env } from "~/env";
import type { PrismaClient } from "~/generated/prisma/client";
import { db } from "~/server/db";
import { logger } from "~/server/logger";

/**
 * Rate limits shared by every process of the app: a fixed-window counter per key in the
 * RateLimitCounter table. Windows follow the database's clock (now() in SQL), so web processes on
 * different machines put a request in the same window; one INSERT … ON CONFLICT DO UPDATE
 * counts a request (or a block of them, see MAX_BLOCK) atomically, however many processes check
 * the same key at once.
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
 * Far from its limit, a key is counted in blocks: one statement counts up to this many requests,
 * which this process then lets through without asking the database again. Blocks shrink to a
 * single request as the count nears the limit (a sixteenth of what is left), so small limits
 * stay exact. The cost: requests counted by one process but not used by the window's end are
 * lost to the others — at most a sixteenth of the limit per process, and only for a user whose
 * requests reach several processes in one window.
 */
const MAX_BLOCK = 32;
const BLOCK_DIVISOR = 16;

/** Requests this process counted in the database but has not used yet, per key, for one window. */
type Lease = { windowEndsAt: number; unused: number; count: number };
const leases = new Map<string, Lease>();
/** One block claimed at a time per key: concurrent requests wait for it and share it. */
const claims = new Map<string, Promise<RateLimitResult>>();

type Rule = { key: string; limit: number; windowSeconds: number };

/**
 * Counts one request against `key` and says whether it is allowed: at most `limit` requests per
 * fixed window of `windowSeconds` (aligned to the epoch in the database's clock).
 */
export async function checkRateLimit(rule: Rule, client: RateLimitClient = db): Promise<RateLimitResult> {
  const { key, limit, windowSeconds } = rule;
  if (!Number.isInteger(windowSeconds) || windowSeconds < 1) {
    throw new RangeError(`windowSeconds must be a whole number of seconds ≥ 1, got ${windowSeconds}`);
  }
  if (!Number.isInteger(limit) || limit < 0) {
    throw new RangeError(`limit must be a whole number ≥ 0, got ${limit}`);
  }
  for (;;) {
    const lease = leases.get(key);
    const now = Date.now();
    const current = lease && lease.windowEndsAt > now ? lease : undefined;
    if (current && current.unused > 0) {
      current.unused--;
      return {
        allowed: true,
        remaining: Math.max(0, limit - current.count) + current.unused,
        retryAfterSeconds: Math.max(1, Math.ceil((current.windowEndsAt - now) / 1_000)),
        limit,
      };
    }
    const block = Math.max(
      1,
      Math.min(MAX_BLOCK, Math.floor((limit - (current?.count ?? 0)) / BLOCK_DIVISOR)),
    );
    // One request at a time needs no sharing; a block is claimed once and shared.
    if (block === 1) return countInDatabase(rule, 1, client);
    const inFlight = claims.get(key);
    if (inFlight) {
      await inFlight.catch(() => undefined);
      continue;
    }
    const claim = countInDatabase(rule, block, client);
    claims.set(key, claim);
    try {
      return await claim;
    } finally {
      if (claims.get(key) === claim) claims.delete(key);
    }
  }
}

/** Counts `block` requests in one statement; this one takes the first, the rest become the lease. */
async function countInDatabase(
  { key, limit, windowSeconds }: Rule,
  block: number,
  client: RateLimitClient,
): Promise<RateLimitResult> {
  cleanUpNowAndThen(client);
  // Timestamps are stored as UTC in `timestamp without time zone` columns (as Prisma writes them),
  // so the window is computed on now() at UTC; the window of the returned row says when it ends.
  const [row] = await client.$queryRaw<{ count: number; msLeft: number }[]>`
    INSERT INTO "RateLimitCounter" (key, "windowStart", count, "expiresAt")
    SELECT ${key}, w.start, ${block}::int, w.start + ${windowSeconds}::int * interval '1 second'
    FROM (
      SELECT to_timestamp(floor(extract(epoch FROM now()) / ${windowSeconds}::int) * ${windowSeconds}::int)
        AT TIME ZONE 'UTC' AS start
    ) AS w
    ON CONFLICT (key, "windowStart") DO UPDATE SET count = "RateLimitCounter".count + ${block}::int
    RETURNING
      count,
      floor((extract(epoch FROM "windowStart") + ${windowSeconds}::int
             - extract(epoch FROM now() AT TIME ZONE 'UTC')) * 1000)::int AS "msLeft"`;
  if (!row) throw new Error("The rate limit counter returned no row.");

  const count = Number(row.count);
  const msLeft = Math.max(0, Number(row.msLeft));
  const granted = Math.max(0, Math.min(block, limit - (count - block)));
  const windowEndsAt = Date.now() + msLeft;
  const lease = leases.get(key);
  if (lease && lease.windowEndsAt > Date.now() && Math.abs(lease.windowEndsAt - windowEndsAt) < 1_000) {
    lease.unused += Math.max(0, granted - 1);
    lease.count = Math.max(lease.count, count);
  } else {
    leases.set(key, { windowEndsAt, unused: Math.max(0, granted - 1), count });
  }
  return {
    allowed: granted >= 1,
    remaining: Math.max(0, limit - count) + Math.max(0, granted - 1),
    retryAfterSeconds: Math.max(1, Math.ceil(msLeft / 1_000)),
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
  for (const [key, lease] of leases) if (lease.windowEndsAt <= now) leases.delete(key);
  deleteExpiredRateLimitCounters(client).catch((err: unknown) => {
    logger.warn({ err }, "deleting expired rate limit counters failed");
  });
}

/** The message for a refused request, with a wait a person can act on. */
export function rateLimitMessage(retryAfterSeconds: number): string {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return `Too many requests. Try again in ${seconds} ${seconds === 1 ? "second" : "seconds"}.`;
}
