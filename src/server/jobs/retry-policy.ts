import "server-only";

import { env } from "~/env";

/** How the outbox retries in the background. Defaults come from the environment. */
export type RetryPolicy = {
  /** First backoff step; each attempt doubles it. */
  baseMs: number;
  /** Longest backoff (Retry-After may ask for longer, and wins). */
  maxMs: number;
  /** Attempts in all, the inline one included, before the row is marked FAILED. */
  maxAttempts: number;
  /**
   * After a request that got no answer, the least wait before the next attempt: long enough for
   * that request to have landed (or died) in the external system, so the next attempt's lookup
   * of what exists sees it and does not create a second issue.
   */
  unansweredSettleMs: number;
};

let current: RetryPolicy = {
  baseMs: env.OUTBOX_RETRY_BASE_MS,
  maxMs: env.OUTBOX_RETRY_MAX_MS,
  maxAttempts: env.OUTBOX_MAX_ATTEMPTS,
  unansweredSettleMs: env.OUTBOX_UNANSWERED_SETTLE_MS,
};

export const retryPolicy = (): RetryPolicy => current;

/** Process-wide override (tests use millisecond backoffs). */
export function setRetryPolicy(overrides: Partial<RetryPolicy>): void {
  current = { ...current, ...overrides };
}

/**
 * The wait before the next attempt. Without Retry-After: exponential backoff with "equal jitter"
 * (half fixed, half random), so many rows failing together do not come back together. With
 * Retry-After: that long at least, plus up to 10% so rate-limited rows do not stampede either.
 * After an unanswered request, never less than the settle time.
 */
export function retryDelayMs(
  {
    attempt,
    retryAfterSeconds,
    unanswered = false,
  }: { attempt: number; retryAfterSeconds?: number; unanswered?: boolean },
  policy: RetryPolicy = current,
  random: () => number = Math.random,
): number {
  const settleMs = unanswered ? policy.unansweredSettleMs : 0;
  if (retryAfterSeconds !== undefined && retryAfterSeconds > 0) {
    const waitMs = retryAfterSeconds * 1000;
    return Math.max(settleMs, Math.round(waitMs + waitMs * 0.1 * random()));
  }
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.max(settleMs, Math.round(step / 2 + (step / 2) * random()));
}
