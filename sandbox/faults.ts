/**
 * Fault injection: latency, rate limiting, server errors, hanging or dropped responses.
 * Counted faults apply to "the next N matching requests"; each request consumes at most one.
 */
import { z } from "zod";

export const faultSettingsSchema = z
  .object({
    /** Added to every matching request until faults are cleared. */
    latencyMs: z.number().int().min(0).max(120_000).optional(),
    rateLimit: z
      .object({ count: z.number().int().min(0), retryAfterSeconds: z.number().int().min(0).default(1) })
      .optional(),
    serverError: z
      .object({
        count: z.number().int().min(0),
        status: z.union([z.literal(500), z.literal(502), z.literal(503)]).default(500),
      })
      .optional(),
    /**
     * Hang for `hangMs` and then destroy the socket without answering. With `afterCreate`, only
     * issue- or attachment-creating requests match and the issue (or attachment) IS created first
     * (clients need idempotency).
     */
    timeout: z
      .object({
        count: z.number().int().min(0),
        afterCreate: z.boolean().default(false),
        hangMs: z.number().int().min(0).max(600_000).default(30_000),
      })
      .optional(),
    /** Create the issue(s) or attachment(s), then destroy the socket immediately. */
    dropResponseAfterCreate: z.object({ count: z.number().int().min(0) }).optional(),
    /** One-shot: expire every access token issued so far (new ones work again). */
    expireAccessTokens: z.boolean().optional(),
    /**
     * Only requests whose path starts with one of these match. Prefixes are compared with the
     * raw path and with the Jira path after stripping `/ex/jira/{cloudId}`, `/site/{name}` or
     * `/dc/{name}`.
     * Without `paths`, faults apply to Jira REST requests only (not OAuth or admin routes).
     */
    paths: z.array(z.string().min(1)).optional(),
  })
  .strict();

export type FaultSettings = z.infer<typeof faultSettingsSchema>;

export type PickedFault =
  | { kind: "rateLimit"; retryAfterSeconds: number }
  | { kind: "serverError"; status: 500 | 502 | 503 }
  | { kind: "timeout"; hangMs: number }
  | { kind: "timeoutAfterCreate"; hangMs: number }
  | { kind: "dropResponseAfterCreate" };

export interface FaultTarget {
  rawPath: string;
  /** `/rest/api/3/...` for Jira requests, otherwise null. */
  jiraPath: string | null;
}

export function faultApplies(faults: FaultSettings, target: FaultTarget): boolean {
  if (!faults.paths) return target.jiraPath !== null;
  return faults.paths.some(
    (prefix) => target.rawPath.startsWith(prefix) || (target.jiraPath?.startsWith(prefix) ?? false),
  );
}

/** Faults that strike before the request is handled. Consumes one count. */
export function takeFaultBeforeHandling(faults: FaultSettings): PickedFault | null {
  if (faults.timeout && faults.timeout.count > 0 && !faults.timeout.afterCreate) {
    faults.timeout.count -= 1;
    return { kind: "timeout", hangMs: faults.timeout.hangMs };
  }
  if (faults.rateLimit && faults.rateLimit.count > 0) {
    faults.rateLimit.count -= 1;
    return { kind: "rateLimit", retryAfterSeconds: faults.rateLimit.retryAfterSeconds };
  }
  if (faults.serverError && faults.serverError.count > 0) {
    faults.serverError.count -= 1;
    return { kind: "serverError", status: faults.serverError.status };
  }
  return null;
}

/** Faults that strike after an issue-creating request did its work. Consumes one count. */
export function takeFaultAfterCreate(faults: FaultSettings): PickedFault | null {
  if (faults.timeout && faults.timeout.count > 0 && faults.timeout.afterCreate) {
    faults.timeout.count -= 1;
    return { kind: "timeoutAfterCreate", hangMs: faults.timeout.hangMs };
  }
  if (faults.dropResponseAfterCreate && faults.dropResponseAfterCreate.count > 0) {
    faults.dropResponseAfterCreate.count -= 1;
    return { kind: "dropResponseAfterCreate" };
  }
  return null;
}

export const RATE_LIMIT_BODY = { errorMessages: ["Rate limit exceeded."], errors: {} };

export function serverErrorBody(status: number): unknown {
  const text =
    status === 503 ? "Service Unavailable" : status === 502 ? "Bad Gateway" : "Internal Server Error";
  return { errorMessages: [`${text} (injected by the sandbox)`], errors: {} };
}
