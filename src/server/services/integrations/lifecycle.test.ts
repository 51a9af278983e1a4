import fc from "fast-check";
import { describe, expect, it } from "vitest";

import type { IntegrationStatus } from "~/generated/prisma/client";
import type { ProviderErrorCode } from "~/server/integrations/types";

import {
  ALLOWED_TRANSITIONS,
  decide,
  DEFAULT_LIFECYCLE_SETTINGS,
  IllegalTransitionError,
  type LifecycleEvent,
  type LifecycleState,
} from "./lifecycle";

const STATUSES = Object.keys(ALLOWED_TRANSITIONS) as IntegrationStatus[];
const ERROR_CODES: ProviderErrorCode[] = [
  "INVALID_CREDENTIALS",
  "NOT_FOUND",
  "FORBIDDEN",
  "RATE_LIMITED",
  "UNAVAILABLE",
  "REJECTED",
];

const fresh = (status: IntegrationStatus = "PENDING"): LifecycleState => ({
  status,
  statusReason: null,
  activatedAt: null,
  activationMethod: null,
  suspendedUntil: status === "SUSPENDED" ? new Date("2026-01-01T00:15:00Z") : null,
  successCount: 0,
  failureCount: 0,
  consecutiveFailures: 0,
  rateLimitHits: 0,
  rateLimitWindowStart: null,
  lastSuccessfulCreationAt: null,
});

const eventArbitrary: fc.Arbitrary<LifecycleEvent> = fc.oneof(
  fc.record({ type: fc.constant("TESTS_PASSED" as const), autoActivate: fc.boolean() }),
  fc.record({
    type: fc.constant("TESTS_FAILED" as const),
    errorCode: fc.option(fc.constantFrom(...ERROR_CODES), { nil: undefined }),
    reason: fc.constant("a check failed"),
  }),
  fc.constant({ type: "TESTS_CANCELLED" as const }),
  fc.constant({ type: "ACTIVATE" as const }),
  fc.constant({ type: "DISABLE" as const }),
  fc.record({ type: fc.constant("ENABLE" as const), testsPassed: fc.boolean() }),
  fc.record({ type: fc.constant("USE_SUCCEEDED" as const), createdIssue: fc.boolean() }),
  fc.record({
    type: fc.constant("USE_FAILED" as const),
    errorCode: fc.constantFrom(...ERROR_CODES),
    reason: fc.constant("boom"),
  }),
  fc.record({
    type: fc.constant("RATE_LIMITED" as const),
    retryAfterSeconds: fc.option(fc.integer({ min: 0, max: 3600 }), { nil: undefined }),
  }),
  fc.constant({ type: "SUSPENSION_ENDED" as const }),
);

/** Steps of [event, minutes that pass before it]. */
const stepsArbitrary = fc.array(fc.tuple(eventArbitrary, fc.integer({ min: 0, max: 30 })), { maxLength: 60 });

describe("integration lifecycle", () => {
  // The store writes successes as bare counter updates (integrationSuccessWrite), which is only
  // right while a success can never move the status or touch anything but these counters.
  it("moves only the success counters on USE_SUCCEEDED, in every status", () => {
    const now = new Date("2026-01-01T00:10:00Z");
    for (const status of STATUSES) {
      for (const createdIssue of [true, false]) {
        const before = { ...fresh(status), consecutiveFailures: 2, successCount: 5 };
        const { next, statusChange } = decide(before, { type: "USE_SUCCEEDED", createdIssue }, now);
        expect(statusChange).toBeNull();
        expect(next).toEqual({
          ...before,
          successCount: 6,
          consecutiveFailures: 0,
          lastSuccessfulCreationAt: createdIssue ? now : null,
        });
      }
    }
  });

  it("never reaches an illegal state, and every status change carries its audit record", () => {
    fc.assert(
      fc.property(fc.constantFrom(...STATUSES), stepsArbitrary, (initial, steps) => {
        let state = fresh(initial);
        let now = new Date("2026-01-01T00:00:00Z");
        for (const [event, minutes] of steps) {
          now = new Date(now.getTime() + minutes * 60_000);
          let decision;
          try {
            decision = decide(state, event, now);
          } catch (error) {
            // Refused events leave the state exactly as it was.
            expect(error).toBeInstanceOf(IllegalTransitionError);
            continue;
          }
          const { next, statusChange } = decision;
          expect(STATUSES).toContain(next.status);
          if (next.status !== state.status) {
            expect(statusChange).not.toBeNull();
            expect(statusChange!.from).toBe(state.status);
            expect(statusChange!.to).toBe(next.status);
            expect(statusChange!.reason.length).toBeGreaterThan(0);
            expect(ALLOWED_TRANSITIONS[state.status]).toContain(next.status);
          } else {
            expect(statusChange).toBeNull();
          }
          // A disabled integration only comes back through a passing re-enable.
          if (state.status === "INACTIVE" && next.status === "ACTIVE") {
            expect(event).toEqual(expect.objectContaining({ type: "ENABLE", testsPassed: true }));
          }
          if (next.status === "ACTIVE" && state.status !== "ACTIVE") {
            expect(next.activatedAt).toEqual(now);
            expect(["MANUAL", "AUTOMATIC"]).toContain(next.activationMethod);
          }
          if (next.status === "SUSPENDED" && state.status !== "SUSPENDED") {
            expect(next.suspendedUntil!.getTime()).toBeGreaterThan(now.getTime());
          }
          expect(next.status === "SUSPENDED").toBe(next.suspendedUntil !== null);
          expect(next.consecutiveFailures).toBeGreaterThanOrEqual(0);
          state = next;
        }
      }),
      { numRuns: 500 },
    );
  });

  it("activates automatically on passing tests only when asked to", () => {
    const now = new Date();
    expect(decide(fresh(), { type: "TESTS_PASSED", autoActivate: false }, now).next.status).toBe("PENDING");
    const activated = decide(fresh(), { type: "TESTS_PASSED", autoActivate: true }, now);
    expect(activated.next).toMatchObject({
      status: "ACTIVE",
      activationMethod: "AUTOMATIC",
      activatedAt: now,
    });
  });

  it("leaves PENDING as ERROR only when a check failed, not when the admin cancelled", () => {
    const now = new Date();
    expect(decide(fresh(), { type: "TESTS_CANCELLED" }, now).statusChange).toBeNull();
    expect(decide(fresh(), { type: "TESTS_FAILED", reason: "no route to host" }, now).next.status).toBe(
      "ERROR",
    );
    expect(
      decide(
        fresh(),
        { type: "TESTS_FAILED", errorCode: "INVALID_CREDENTIALS", reason: "token rejected" },
        now,
      ).next.status,
    ).toBe("EXPIRED");
  });

  it("marks an active integration ERROR after N consecutive failures, N from its settings", () => {
    const now = new Date();
    let state = fresh("ACTIVE");
    const settings = { ...DEFAULT_LIFECYCLE_SETTINGS, failureThreshold: 4 };
    for (let attempt = 1; attempt <= 3; attempt++) {
      state = decide(
        state,
        { type: "USE_FAILED", errorCode: "UNAVAILABLE", reason: "503" },
        now,
        settings,
      ).next;
      expect(state.status).toBe("ACTIVE");
    }
    const decision = decide(
      state,
      { type: "USE_FAILED", errorCode: "UNAVAILABLE", reason: "503" },
      now,
      settings,
    );
    expect(decision.next.status).toBe("ERROR");
    expect(decision.statusChange?.reason).toContain("4 consecutive failures");
  });

  it("resets the failure streak on success", () => {
    const now = new Date();
    let state = fresh("ACTIVE");
    state = decide(state, { type: "USE_FAILED", errorCode: "UNAVAILABLE", reason: "x" }, now).next;
    state = decide(state, { type: "USE_FAILED", errorCode: "UNAVAILABLE", reason: "x" }, now).next;
    state = decide(state, { type: "USE_SUCCEEDED", createdIssue: true }, now).next;
    expect(state).toMatchObject({
      consecutiveFailures: 0,
      successCount: 1,
      failureCount: 2,
      lastSuccessfulCreationAt: now,
    });
  });

  it("expires on rejected credentials or a revoked grant", () => {
    const decision = decide(
      fresh("ACTIVE"),
      { type: "USE_FAILED", errorCode: "INVALID_CREDENTIALS", reason: "grant revoked" },
      new Date(),
    );
    expect(decision.next.status).toBe("EXPIRED");
  });

  it("suspends after repeated rate limiting and recovers by itself after the window", () => {
    let now = new Date("2026-01-01T00:00:00Z");
    let state = fresh("ACTIVE");
    for (let hit = 1; hit < DEFAULT_LIFECYCLE_SETTINGS.rateLimitThreshold; hit++) {
      state = decide(state, { type: "RATE_LIMITED", retryAfterSeconds: 30 }, now).next;
      expect(state.status).toBe("ACTIVE");
    }
    state = decide(state, { type: "RATE_LIMITED", retryAfterSeconds: 30 }, now).next;
    expect(state.status).toBe("SUSPENDED");
    expect(() => decide(state, { type: "SUSPENSION_ENDED" }, now)).toThrowError(IllegalTransitionError);
    now = new Date(state.suspendedUntil!.getTime());
    const resumed = decide(state, { type: "SUSPENSION_ENDED" }, now);
    expect(resumed.next).toMatchObject({
      status: "ACTIVE",
      activationMethod: "AUTOMATIC",
      suspendedUntil: null,
    });
  });

  it("does not count rate limits from an old window", () => {
    let now = new Date("2026-01-01T00:00:00Z");
    let state = fresh("ACTIVE");
    for (let hit = 0; hit < 10; hit++) {
      state = decide(state, { type: "RATE_LIMITED" }, now).next;
      now = new Date(now.getTime() + DEFAULT_LIFECYCLE_SETTINGS.rateLimitWindowMs);
    }
    expect(state.status).toBe("ACTIVE");
  });

  it("refuses illegal requests with a message", () => {
    const now = new Date();
    expect(() => decide(fresh("INACTIVE"), { type: "DISABLE" }, now)).toThrowError(/already disabled/);
    expect(() => decide(fresh("ACTIVE"), { type: "ENABLE", testsPassed: true }, now)).toThrowError(
      /Only a disabled/,
    );
    expect(() => decide(fresh("INACTIVE"), { type: "ACTIVATE" }, now)).toThrowError(/enable it instead/);
  });

  it("re-enables only when the tests pass", () => {
    const now = new Date();
    expect(decide(fresh("INACTIVE"), { type: "ENABLE", testsPassed: false }, now).next.status).toBe(
      "INACTIVE",
    );
    expect(decide(fresh("INACTIVE"), { type: "ENABLE", testsPassed: true }, now).next).toMatchObject({
      status: "ACTIVE",
      activationMethod: "MANUAL",
    });
  });
});
