import { describe, expect, it } from "vitest";

import { retryDelayMs, type RetryPolicy } from "./retry-policy";

const policy: RetryPolicy = { baseMs: 2_000, maxMs: 300_000, maxAttempts: 8, unansweredSettleMs: 60_000 };
const lowest = () => 0;
const highest = () => 0.999999;

describe("retryDelayMs", () => {
  it("doubles with each attempt, between half and all of the step", () => {
    for (const [attempt, step] of [
      [1, 2_000],
      [2, 4_000],
      [3, 8_000],
      [6, 64_000],
    ] as const) {
      expect(retryDelayMs({ attempt }, policy, lowest)).toBe(step / 2);
      expect(retryDelayMs({ attempt }, policy, highest)).toBe(step);
    }
  });

  it("never waits longer than the cap, however many attempts", () => {
    expect(retryDelayMs({ attempt: 9 }, policy, highest)).toBe(300_000);
    expect(retryDelayMs({ attempt: 500 }, policy, highest)).toBe(300_000);
  });

  it("spreads rows that failed together", () => {
    const delays = new Set(Array.from({ length: 50 }, () => retryDelayMs({ attempt: 3 }, policy)));
    expect(delays.size).toBeGreaterThan(10);
    for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(4_000);
  });

  it("honours Retry-After: never sooner, at most 10% later, even past the cap", () => {
    expect(retryDelayMs({ attempt: 1, retryAfterSeconds: 30 }, policy, lowest)).toBe(30_000);
    expect(retryDelayMs({ attempt: 1, retryAfterSeconds: 30 }, policy, highest)).toBe(33_000);
    expect(retryDelayMs({ attempt: 7, retryAfterSeconds: 1 }, policy, lowest)).toBe(1_000);
    expect(retryDelayMs({ attempt: 1, retryAfterSeconds: 900 }, policy, lowest)).toBe(900_000);
  });

  it("after an unanswered request, waits at least the settle time; longer waits stay as they are", () => {
    expect(retryDelayMs({ attempt: 1, unanswered: true }, policy, highest)).toBe(60_000);
    expect(retryDelayMs({ attempt: 1, retryAfterSeconds: 5, unanswered: true }, policy, lowest)).toBe(60_000);
    expect(retryDelayMs({ attempt: 8, unanswered: true }, policy, lowest)).toBe(128_000);
    expect(retryDelayMs({ attempt: 1, unanswered: false }, policy, highest)).toBe(2_000);
  });

  it("treats a missing or zero Retry-After as none", () => {
    expect(retryDelayMs({ attempt: 2, retryAfterSeconds: 0 }, policy, lowest)).toBe(2_000);
  });
});
