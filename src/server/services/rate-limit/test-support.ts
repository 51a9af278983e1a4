import { unique } from "~/test/db";

import { checkRateLimit } from "./rate-limit";

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Windows are fixed (aligned to the epoch in the database's clock): a test that must finish its
 * calls inside one window first waits for the next window when fewer than `seconds` are left.
 * Probes on a key of its own, so the keys under test are not counted.
 */
export async function roomInWindow(windowSeconds: number, seconds: number): Promise<void> {
  const probe = await checkRateLimit({ key: unique("probe"), limit: 1, windowSeconds });
  if (probe.retryAfterSeconds < Math.min(seconds, windowSeconds)) {
    await sleep(probe.retryAfterSeconds * 1_000 + 50);
  }
}
