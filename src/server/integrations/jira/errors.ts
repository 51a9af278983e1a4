import "server-only";

import {
  Forbidden,
  InvalidCredentials,
  NotFound,
  ProviderError,
  RateLimited,
  Rejected,
  Unavailable,
  UnsafeUrl,
} from "../types";

/**
 * Turns what jira.js / axios throw into TicketBridge's domain errors, with messages an admin can
 * act on. jira.js wraps answered requests in an `HttpException` (status + body, the axios error as
 * `cause`) and lets network failures through as plain axios errors; both are read structurally
 * here, so no SDK type leaves this folder.
 */

export type JiraAuthKind = "api_token" | "oauth" | "pat";

export type JiraErrorContext = {
  /** `host[:port]` of the Jira the request went to, for messages. */
  host: string;
  auth: JiraAuthKind;
  timeoutMs: number;
};

type HttpFailure = { status: number; data: unknown; headers: Record<string, unknown> };

export function toProviderError(error: unknown, context: JiraErrorContext): ProviderError {
  if (error instanceof ProviderError) return error;
  const unsafe = findInCauses(error, (cause): cause is UnsafeUrl => cause instanceof UnsafeUrl);
  if (unsafe) return unsafe;
  const http = httpFailure(error);
  if (http) return fromHttpFailure(http, context);
  return fromNetworkFailure(error, context);
}

/** The HTTP status of a failed Jira call, if Jira answered at all. */
export function statusOf(error: unknown): number | undefined {
  return httpFailure(error)?.status;
}

/** The body Jira answered a failed call with, if it answered at all. */
export function bodyOf(error: unknown): unknown {
  return httpFailure(error)?.data;
}

function fromHttpFailure({ status, data, headers }: HttpFailure, context: JiraErrorContext): ProviderError {
  const { host } = context;
  const said = jiraMessages(data);
  const details = { status };
  if (status === 401) return new InvalidCredentials(unauthorizedMessage(context), details);
  if (status === 403) {
    return new Forbidden(
      `Jira at ${host} refused the request (HTTP 403)${said ? `: ${said}` : ""}. The account lacks a permission it needs, or has no access to this site.`,
      details,
    );
  }
  if (status === 404)
    return new NotFound(`Jira at ${host} could not find it (HTTP 404)${said ? `: ${said}` : "."}`, details);
  if (status === 429) {
    const retryAfterSeconds = parseRetryAfter(headers["retry-after"]);
    return new RateLimited(
      `Jira at ${host} is limiting the rate of requests (HTTP 429); ${retryAfterSeconds === undefined ? "try again shortly" : `try again in ${retryAfterSeconds} s`}.`,
      retryAfterSeconds,
      details,
    );
  }
  if (status >= 500) {
    return new Unavailable(
      `Jira at ${host} had a problem (HTTP ${status})${said ? `: ${said}` : ""}. It may be down or overloaded; try again later.`,
      details,
    );
  }
  if (status >= 300 && status < 400) {
    const location = typeof headers.location === "string" ? headers.location : undefined;
    return new NotFound(
      `Jira at ${host} redirected the request${location ? ` to ${location}` : ""} (HTTP ${status}). Enter the address Jira is served at${location ? ` (probably ${siteOf(location)})` : ""}.`,
      details,
    );
  }
  const fieldErrors = fieldErrorsOf(data);
  return new Rejected(
    `Jira rejected the request (HTTP ${status})${said ? `: ${said}` : "."}`,
    fieldErrors,
    details,
  );
}

function unauthorizedMessage({ auth, host }: JiraErrorContext): string {
  switch (auth) {
    case "api_token":
      return `Jira at ${host} did not accept the email address and API token. Check that the email is the one you sign in to Atlassian with, and create a new API token at https://id.atlassian.com/manage-profile/security/api-tokens (tokens expire).`;
    case "pat":
      return `Jira at ${host} did not accept the personal access token. It may have expired or been revoked: create a new one in Jira under your avatar → Profile → Personal Access Tokens.`;
    case "oauth":
      return "Atlassian did not accept TicketBridge's access to your account for this site. Reconnect your Atlassian account (sign in with Atlassian again) and make sure this site is selected.";
  }
}

function fromNetworkFailure(error: unknown, { host, timeoutMs }: JiraErrorContext): ProviderError {
  const codes = codesOf(error);
  const has = (...wanted: string[]) => wanted.some((code) => codes.has(code));
  const text = messageOf(error);
  let message: string;
  if (has("ECONNABORTED", "ETIMEDOUT", "ERR_CANCELED") || /timeout/i.test(text)) {
    message = `Jira at ${host} did not answer within ${Math.round(timeoutMs / 100) / 10} s. It may be overloaded or unreachable from TicketBridge; try again later.`;
    return new Unavailable(message, { unanswered: true });
  } else if (has("ECONNREFUSED")) {
    message = `Could not connect to ${host}: the connection was refused. Check the address and port, and that Jira is running and reachable from TicketBridge.`;
  } else if (has("ENOTFOUND", "EAI_AGAIN", "EAI_NONAME")) {
    message = `${host.replace(/:\d+$/, "")} could not be found (DNS ${[...codes].find((code) => code.startsWith("E")) ?? "lookup failed"}). Check the address for typos.`;
  } else if (has("EHOSTUNREACH", "ENETUNREACH")) {
    message = `${host} cannot be reached from TicketBridge's network (${has("EHOSTUNREACH") ? "EHOSTUNREACH" : "ENETUNREACH"}). Check the address, or whether a firewall blocks it.`;
  } else if ([...codes].some(isTlsCode) || /SSL|TLS|certificate/i.test(text)) {
    const code = [...codes].find(isTlsCode) ?? "TLS";
    message = `A secure connection to ${host} could not be established (${code}): ${tlsHint(code)}`;
  } else if (has("ECONNRESET", "EPIPE") || /socket hang up/i.test(text)) {
    message = `Jira at ${host} closed the connection before answering (${/socket hang up/i.test(text) ? "socket hang up" : "connection reset"}). Try again later; if it keeps happening, a proxy may be cutting the connection.`;
    return new Unavailable(message, { unanswered: true });
  } else {
    message = `Could not talk to Jira at ${host}: ${text || "unknown network error"}.`;
  }
  return new Unavailable(message);
}

const TLS_CODE = /^(?:ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_|EPROTO$|HOSTNAME_MISMATCH)/;
const isTlsCode = (code: string) => TLS_CODE.test(code);

function tlsHint(code: string): string {
  if (/SELF_SIGNED|UNABLE_TO_|DEPTH_ZERO/.test(code)) {
    return "its certificate is not signed by a trusted authority. Use a certificate from a public CA.";
  }
  if (/EXPIRED/.test(code)) return "its certificate has expired.";
  if (/ALTNAME|HOSTNAME/.test(code))
    return "its certificate is for a different host name. Check the address.";
  if (code === "EPROTO" || /WRONG_VERSION/.test(code)) {
    return "the server does not speak HTTPS on that port. Check the address and port (https:// on a plain HTTP port?).";
  }
  return "check the server's TLS certificate.";
}

/* ───────────────────────── reading errors structurally ───────────────────────── */

type ErrorLike = {
  status?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
  response?: { status?: unknown; data?: unknown; headers?: unknown };
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null;

function httpFailure(error: unknown): HttpFailure | undefined {
  if (!isObject(error)) return undefined;
  const e = error as ErrorLike;
  // axios: response = { status, data, headers }. jira.js HttpException: status, response =
  // { status, data } without headers, and the axios error (with them) as `cause`.
  const status = isObject(e.response) && typeof e.response.status === "number" ? e.response.status : e.status;
  if (typeof status !== "number" || status < 300 || !isObject(e.response)) return undefined;
  const cause = isObject(e.cause) ? (e.cause as ErrorLike) : undefined;
  return {
    status,
    data: e.response.data,
    headers: headersOf(e.response.headers ?? cause?.response?.headers),
  };
}

function headersOf(headers: unknown): Record<string, unknown> {
  if (!isObject(headers)) return {};
  // AxiosHeaders has toJSON(); plain objects are used as they are. Names are lower-cased either way.
  const plain = typeof headers.toJSON === "function" ? (headers.toJSON as () => unknown)() : headers;
  return Object.fromEntries(
    Object.entries(isObject(plain) ? plain : {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
}

/** Every `code` along the cause chain (and in AggregateErrors, as Node uses for dual-stack connects). */
function codesOf(error: unknown): Set<string> {
  const codes = new Set<string>();
  walkCauses(error, (cause) => {
    if (typeof cause.code === "string") codes.add(cause.code);
  });
  return codes;
}

function messageOf(error: unknown): string {
  const messages: string[] = [];
  walkCauses(error, (cause) => {
    if (typeof cause.message === "string" && cause.message) messages.push(cause.message);
  });
  return [...new Set(messages)].join("; ");
}

function findInCauses<T>(error: unknown, match: (cause: unknown) => cause is T): T | undefined {
  let found: T | undefined;
  walkCauses(error, (cause) => {
    if (!found && match(cause)) found = cause;
  });
  return found;
}

function walkCauses(error: unknown, visit: (cause: ErrorLike) => void, depth = 0): void {
  if (!isObject(error) || depth > 6) return;
  const e = error as ErrorLike;
  visit(e);
  walkCauses(e.cause, visit, depth + 1);
  if (Array.isArray(e.errors)) for (const inner of e.errors) walkCauses(inner, visit, depth + 1);
}

/* ───────────────────────── Jira's error bodies ───────────────────────── */

/** Jira's `errorMessages` and `errors`, or the API gateway's `message`, as one sentence. */
export function jiraMessages(data: unknown): string {
  if (!isObject(data)) return "";
  const parts: string[] = [];
  if (Array.isArray(data.errorMessages))
    parts.push(...data.errorMessages.filter((m): m is string => typeof m === "string"));
  for (const [field, message] of Object.entries(fieldErrorsOf(data))) parts.push(`${field}: ${message}`);
  if (parts.length === 0 && typeof data.message === "string") parts.push(data.message);
  if (parts.length === 0 && typeof data.errorMessage === "string") parts.push(data.errorMessage);
  return parts.map((part) => part.trim().replace(/[.\s]+$/, "")).join("; ");
}

/** Jira's field → message map (`errors`), as Rejected carries it. */
export function fieldErrorsOf(data: unknown): Record<string, string> {
  if (!isObject(data) || !isObject(data.errors)) return {};
  return Object.fromEntries(
    Object.entries(data.errors).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw === "number") return Math.max(0, Math.ceil(raw));
  if (typeof raw !== "string" || raw.trim() === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(raw.trim())) return Math.ceil(Number(raw));
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

function siteOf(location: string): string {
  try {
    const url = new URL(location);
    return `${url.protocol}//${url.host}`;
  } catch {
    return location;
  }
}
