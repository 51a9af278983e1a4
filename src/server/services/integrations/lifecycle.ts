import "server-only";

import type { ActivationMethod, IntegrationStatus } from "~/generated/prisma/client";
import type { ProviderErrorCode } from "~/server/integrations/types";

/**
 * The integration lifecycle: the only code that decides a status change. It is pure — the service
 * loads the row, asks `decide`, and writes the result and its audit entry in one transaction.
 *
 *   PENDING   → ACTIVE (tests pass) | ERROR / EXPIRED (a check failed) | INACTIVE
 *   ACTIVE    → INACTIVE (disabled) | ERROR (N consecutive failures) | EXPIRED (credentials
 *               rejected, grant revoked) | SUSPENDED (rate limited beyond the threshold)
 *   SUSPENDED → ACTIVE (window over) | INACTIVE | ERROR | EXPIRED
 *   ERROR / EXPIRED → ACTIVE (tests pass) | each other | INACTIVE
 *   INACTIVE  → ACTIVE (re-enabled, and only when its tests pass)
 */

export const ALLOWED_TRANSITIONS: Record<IntegrationStatus, readonly IntegrationStatus[]> = {
  PENDING: ["ACTIVE", "ERROR", "EXPIRED", "INACTIVE"],
  ACTIVE: ["INACTIVE", "ERROR", "EXPIRED", "SUSPENDED"],
  SUSPENDED: ["ACTIVE", "INACTIVE", "ERROR", "EXPIRED"],
  ERROR: ["ACTIVE", "EXPIRED", "INACTIVE"],
  EXPIRED: ["ACTIVE", "ERROR", "INACTIVE"],
  INACTIVE: ["ACTIVE"],
};

export type LifecycleState = {
  status: IntegrationStatus;
  statusReason: string | null;
  activatedAt: Date | null;
  activationMethod: ActivationMethod | null;
  suspendedUntil: Date | null;
  successCount: number;
  failureCount: number;
  consecutiveFailures: number;
  rateLimitHits: number;
  rateLimitWindowStart: Date | null;
  lastSuccessfulCreationAt: Date | null;
};

export type LifecycleSettings = {
  /** Consecutive failures in use that mark the integration ERROR. */
  failureThreshold: number;
  /** Rate-limit answers within the window that suspend it. */
  rateLimitThreshold: number;
  rateLimitWindowMs: number;
  /** How long a suspension lasts at least (Retry-After may make it longer). */
  suspensionMs: number;
};

export const DEFAULT_LIFECYCLE_SETTINGS: LifecycleSettings = {
  failureThreshold: 3,
  rateLimitThreshold: 5,
  rateLimitWindowMs: 10 * 60_000,
  suspensionMs: 15 * 60_000,
};

export type LifecycleEvent =
  /** A test run finished. `autoActivate`: "activate on success" was on. */
  | { type: "TESTS_PASSED"; autoActivate: boolean }
  | { type: "TESTS_FAILED"; errorCode?: ProviderErrorCode; reason: string }
  /** The admin cancelled a test run: nothing failed, nothing changes. */
  | { type: "TESTS_CANCELLED" }
  /** Manual activation after a passing test run. */
  | { type: "ACTIVATE" }
  | { type: "DISABLE"; reason?: string }
  /** Re-enabling runs the tests; only a pass makes it ACTIVE. */
  | { type: "ENABLE"; testsPassed: boolean; reason?: string }
  | { type: "USE_SUCCEEDED"; createdIssue: boolean }
  | { type: "USE_FAILED"; errorCode: ProviderErrorCode; reason: string }
  | { type: "RATE_LIMITED"; retryAfterSeconds?: number }
  | { type: "SUSPENSION_ENDED" };

export class IllegalTransitionError extends Error {
  constructor(
    readonly from: IntegrationStatus,
    readonly event: LifecycleEvent["type"],
    message: string,
  ) {
    super(message);
    this.name = "IllegalTransitionError";
  }
}

export type Decision = {
  next: LifecycleState;
  /** Present whenever the status changes; the service writes it as an AuditEvent. */
  statusChange: {
    from: IntegrationStatus;
    to: IntegrationStatus;
    reason: string;
    method?: ActivationMethod;
  } | null;
};

const FAILURE_STATUS = (errorCode?: ProviderErrorCode): IntegrationStatus =>
  errorCode === "INVALID_CREDENTIALS" ? "EXPIRED" : "ERROR";

export function decide(
  state: LifecycleState,
  event: LifecycleEvent,
  now: Date,
  settings: LifecycleSettings = DEFAULT_LIFECYCLE_SETTINGS,
): Decision {
  const { status } = state;
  const illegal = (why: string) => new IllegalTransitionError(status, event.type, why);
  let next: LifecycleState = { ...state };
  let target: IntegrationStatus = status;
  let reason = "";
  let method: ActivationMethod | undefined;

  switch (event.type) {
    case "TESTS_PASSED":
      if (event.autoActivate && (status === "PENDING" || status === "ERROR" || status === "EXPIRED")) {
        target = "ACTIVE";
        method = "AUTOMATIC";
        reason = "All tests passed; activated automatically";
      }
      break;
    case "TESTS_FAILED":
      if (status !== "INACTIVE") {
        target = FAILURE_STATUS(event.errorCode);
        reason = event.reason;
      }
      break;
    case "TESTS_CANCELLED":
      break;
    case "ACTIVATE":
      if (status !== "PENDING" && status !== "ERROR" && status !== "EXPIRED") {
        throw illegal(
          `An integration that is ${status} cannot be activated; ${status === "INACTIVE" ? "enable it instead" : "it is already in use"}.`,
        );
      }
      target = "ACTIVE";
      method = "MANUAL";
      reason = "Activated by an admin after passing tests";
      break;
    case "DISABLE":
      if (status === "INACTIVE") throw illegal("This integration is already disabled.");
      target = "INACTIVE";
      reason = event.reason ?? "Disabled by an admin";
      break;
    case "ENABLE":
      if (status !== "INACTIVE")
        throw illegal(`Only a disabled integration can be enabled; this one is ${status}.`);
      if (event.testsPassed) {
        target = "ACTIVE";
        method = "MANUAL";
        reason = "Re-enabled by an admin; all tests passed";
      }
      break;
    case "USE_SUCCEEDED":
      next = {
        ...next,
        successCount: state.successCount + 1,
        consecutiveFailures: 0,
        lastSuccessfulCreationAt: event.createdIssue ? now : state.lastSuccessfulCreationAt,
      };
      break;
    case "USE_FAILED": {
      const consecutiveFailures = state.consecutiveFailures + 1;
      next = { ...next, failureCount: state.failureCount + 1, consecutiveFailures };
      if (status === "ACTIVE" || status === "SUSPENDED") {
        if (event.errorCode === "INVALID_CREDENTIALS") {
          target = "EXPIRED";
          reason = event.reason;
        } else if (consecutiveFailures >= settings.failureThreshold) {
          target = "ERROR";
          reason = `${consecutiveFailures} consecutive failures; last: ${event.reason}`;
        }
      }
      break;
    }
    case "RATE_LIMITED": {
      const windowOpen =
        state.rateLimitWindowStart !== null &&
        now.getTime() - state.rateLimitWindowStart.getTime() < settings.rateLimitWindowMs;
      const rateLimitHits = windowOpen ? state.rateLimitHits + 1 : 1;
      next = { ...next, rateLimitHits, rateLimitWindowStart: windowOpen ? state.rateLimitWindowStart : now };
      if (status === "ACTIVE" && rateLimitHits >= settings.rateLimitThreshold) {
        const pauseMs = Math.max(settings.suspensionMs, (event.retryAfterSeconds ?? 0) * 1000);
        target = "SUSPENDED";
        reason = `Rate limited ${rateLimitHits} times within ${Math.round(settings.rateLimitWindowMs / 60_000)} minutes; paused until the limit resets`;
        next = { ...next, suspendedUntil: new Date(now.getTime() + pauseMs) };
      }
      break;
    }
    case "SUSPENSION_ENDED":
      if (status !== "SUSPENDED") throw illegal("Only a suspended integration can resume.");
      if (state.suspendedUntil && state.suspendedUntil > now) {
        throw illegal(`The suspension lasts until ${state.suspendedUntil.toISOString()}.`);
      }
      target = "ACTIVE";
      method = "AUTOMATIC";
      reason = "Rate-limit window over; resumed automatically";
      next = { ...next, rateLimitHits: 0, rateLimitWindowStart: null };
      break;
  }

  if (target === status) return { next, statusChange: null };
  if (!ALLOWED_TRANSITIONS[status].includes(target)) {
    throw illegal(`An integration cannot go from ${status} to ${target}.`);
  }
  next = {
    ...next,
    status: target,
    statusReason: reason,
    suspendedUntil: target === "SUSPENDED" ? next.suspendedUntil : null,
    ...(target === "ACTIVE" && method ? { activatedAt: now, activationMethod: method } : {}),
    // A fresh start: failures before the recovery do not count toward the next ERROR.
    ...(target === "ACTIVE" ? { consecutiveFailures: 0 } : {}),
  };
  return { next, statusChange: { from: status, to: target, reason, method } };
}
