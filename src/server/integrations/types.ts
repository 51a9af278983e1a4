import "server-only";

import type { z } from "zod";

import type { CheckType } from "~/lib/domain";

/**
 * The contract between TicketBridge and a ticketing system. Routers, pages and services only ever
 * see these types; SDK types stay inside each provider's folder.
 */

export type ProviderId =
  "jira" | "salesforce" | "linear" | "servicenow" | "zendesk" | "asana" | "monday" | "clickup";

export { CHECK_TYPES, TICKET_CATEGORIES, TICKET_PRIORITIES } from "~/lib/domain";
export type { CheckType, TicketCategory, TicketPriority } from "~/lib/domain";

/** One check of a test run, as the wizard shows it. */
export type CheckResult = {
  type: CheckType;
  passed: boolean;
  /** A sentence a person can act on, e.g. "The API token was rejected: create a new one at …". */
  message: string;
  durationMs: number;
  /** The domain error behind a failure, for the lifecycle (e.g. InvalidCredentials → EXPIRED). */
  errorCode?: ProviderErrorCode;
};

export type ExternalProject = { id: string; key: string; name: string };

export type ExternalField = {
  id: string;
  name: string;
  required: boolean;
  /** Jira's schema type: string, option, array, user, priority, … */
  type: string;
  allowedValues?: { id: string; name: string }[];
  hasDefaultValue?: boolean;
};

export type ExternalIssueType = { id: string; name: string; subtask: boolean; fields?: ExternalField[] };

/** What TicketBridge asks a provider to create: already mapped to the system's vocabulary. */
export type NormalizedTicket = {
  /** Idempotency marker: the internal ExternalIssue id. Stored on the external issue. */
  marker: string;
  title: string;
  /** Markdown. Providers convert it (Jira Cloud: ADF). */
  description: string;
  issueType: string;
  priority?: string;
  labels?: string[];
  /** Extra system fields by id, e.g. { customfield_10050: { value: "Production" } }. */
  fields?: Record<string, unknown>;
};

export type CreatedExternalIssue = {
  id: string;
  key: string;
  url: string;
  /** The system's complete answer to the creation request. */
  response: unknown;
};

export type ExternalIssueSnapshot = {
  id: string;
  key: string;
  url: string;
  status: string;
  statusCategory?: string;
  assignee?: { id: string; name: string } | null;
  raw: unknown;
};

export type ExternalComment = { id: string; raw: unknown };

/** A file to attach: its type detected from its bytes, its name already made safe. */
export type ExternalAttachmentInput = { filename: string; contentType: string; data: Buffer };
export type ExternalAttachment = { id: string; filename: string; size: number | null; raw: unknown };

/** One page of issues updated since a time, oldest change first; raw, as the system sent them. */
export type UpdatedIssuesPage = { issues: unknown[]; nextPageToken: string | null };

/** Webhooks an app registers through its OAuth grant (Jira Cloud); they expire unless refreshed. */
export interface DynamicWebhooks {
  /** Registers one webhook for the configured project's `events`, delivered to `url`. */
  register(url: string, events: readonly string[]): Promise<{ ids: number[]; expiresAt: Date }>;
  /** Extends them; resolves to their new expiry. */
  refresh(ids: number[]): Promise<Date>;
  delete(ids: number[]): Promise<void>;
}

/**
 * Where a status change should land: one of these status names if the workflow offers it,
 * otherwise any status of the category (Jira's new / indeterminate / done).
 */
export type StatusTarget = { names: string[]; category?: "new" | "indeterminate" | "done" };

export type ProviderErrorCode =
  | "INVALID_CREDENTIALS"
  | "NOT_FOUND"
  | "FORBIDDEN"
  | "RATE_LIMITED"
  | "UNAVAILABLE"
  | "REJECTED"
  | "UNSAFE_URL";

/** Errors a provider throws; adapters translate HTTP failures into these. */
export class ProviderError extends Error {
  constructor(
    readonly code: ProviderErrorCode,
    message: string,
    readonly details: {
      status?: number;
      /** Field id → message, as the system reported them. */
      fieldErrors?: Record<string, string>;
      retryAfterSeconds?: number;
      /** For OAuth: the grant itself was revoked (not just one expired token). */
      grantRevoked?: boolean;
      /**
       * The request was sent but no answer came (a timeout, a dropped connection): it may still
       * take effect, so whatever follows must allow for that.
       */
      unanswered?: boolean;
    } = {},
  ) {
    super(message);
    this.name = "ProviderError";
  }
}

export class InvalidCredentials extends ProviderError {
  constructor(message: string, details: ProviderError["details"] = {}) {
    super("INVALID_CREDENTIALS", message, details);
  }
}
export class NotFound extends ProviderError {
  constructor(message: string, details: ProviderError["details"] = {}) {
    super("NOT_FOUND", message, details);
  }
}
export class Forbidden extends ProviderError {
  constructor(message: string, details: ProviderError["details"] = {}) {
    super("FORBIDDEN", message, details);
  }
}
/** Failures that may pass by themselves (Jira down or asking to slow down): worth retrying. */
export const isRetryable = (error: ProviderError) =>
  error.code === "UNAVAILABLE" || error.code === "RATE_LIMITED";

export class RateLimited extends ProviderError {
  constructor(
    message: string,
    retryAfterSeconds: number | undefined,
    details: ProviderError["details"] = {},
  ) {
    super("RATE_LIMITED", message, { ...details, retryAfterSeconds });
  }
}
export class Unavailable extends ProviderError {
  constructor(message: string, details: ProviderError["details"] = {}) {
    super("UNAVAILABLE", message, details);
  }
}
export class Rejected extends ProviderError {
  constructor(message: string, fieldErrors: Record<string, string>, details: ProviderError["details"] = {}) {
    super("REJECTED", message, { ...details, fieldErrors });
  }
}
export class UnsafeUrl extends ProviderError {
  constructor(message: string) {
    super("UNSAFE_URL", message);
  }
}

export interface TicketingProvider {
  testConnection(): Promise<CheckResult>;
  testAuthentication(): Promise<CheckResult>;
  testProjectAccess(): Promise<CheckResult>;
  testPermissions(): Promise<CheckResult>;
  listProjects(): Promise<ExternalProject[]>;
  listIssueTypes(projectKey: string): Promise<ExternalIssueType[]>;
  createIssue(ticket: NormalizedTicket): Promise<CreatedExternalIssue>;
  createIssues(
    tickets: NormalizedTicket[],
  ): Promise<({ ok: true; issue: CreatedExternalIssue } | { ok: false; error: ProviderError })[]>;
  /** The issue created earlier with this idempotency marker, if any. */
  findByMarker(marker: string): Promise<CreatedExternalIssue | null>;
  getIssue(idOrKey: string): Promise<ExternalIssueSnapshot>;
  /** Moves the issue with one of the transitions it offers; resolves to the status reached. */
  transition(idOrKey: string, target: string | StatusTarget): Promise<{ status: string }>;
  /** Assigns the issue to an account of the external system, or unassigns it (null). */
  assign(idOrKey: string, accountId: string | null): Promise<void>;
  /** `marker` (the internal comment's id) lets a retry find a comment whose answer was lost. */
  addComment(
    idOrKey: string,
    body: string,
    options?: { internal?: boolean; marker?: string },
  ): Promise<ExternalComment>;
  findCommentByMarker?(idOrKey: string, marker: string): Promise<ExternalComment | null>;
  /** Issues of the configured project updated at or after `since` (polling without webhooks). */
  listUpdatedIssues?(
    since: Date,
    options: { fields: string[]; pageToken?: string; maxResults?: number },
  ): Promise<UpdatedIssuesPage>;
  /** Present only where the connection can register webhooks itself (Jira Cloud over OAuth). */
  webhooks?: DynamicWebhooks;
  /** Uploads one file to the issue (Jira: POST /issue/{id}/attachments). */
  addAttachment?(idOrKey: string, file: ExternalAttachmentInput): Promise<ExternalAttachment>;
  /** The files already on the issue: a retry adopts an upload whose answer was lost. */
  listAttachments?(idOrKey: string): Promise<ExternalAttachment[]>;
}

/**
 * Where an OAuth provider gets the user's access token. The integrations service implements it on
 * the sealed Account tokens (refreshing and storing the rotated refresh token atomically).
 */
export interface AccessTokenSource {
  /** A currently valid access token. */
  getAccessToken(): Promise<string>;
  /** Called after the API answered 401 with `token`: refresh unless someone already did; returns the new one. */
  refreshAfterRejection(token: string): Promise<string>;
}

/** A connection mode of a provider: its own config and credential schemas. */
export type ConnectionMode = {
  id: string;
  label: string;
  description: string;
  /** Config fields: non-secret, stored in Integration.settings / baseUrl. */
  configSchema: z.ZodObject;
  /** Credential fields: sealed at rest. Secret ones are wrapped in `secret()` (see schema.ts). */
  credentialSchema: z.ZodObject;
  /** OAuth modes take their credential from the signed-in user's Atlassian grant. */
  usesUserOAuthGrant: boolean;
};

export type ProviderContext<Config = Record<string, unknown>, Credentials = Record<string, unknown>> = {
  mode: string;
  config: Config;
  credentials: Credentials;
  /** For OAuth modes. */
  tokens?: AccessTokenSource;
  /** Hosts the outbound guard lets through although they resolve to private/loopback addresses. */
  allowedHosts: readonly string[];
  /** Per-request timeout. */
  timeoutMs?: number;
  platform: PlatformUrls;
};

export type DeploymentKind = "CLOUD" | "SERVER" | "DATA_CENTER";

/** Everything TicketBridge knows about one provider; the registry lists these. */
export type ProviderDefinition = {
  id: ProviderId;
  name: string;
  description: string;
  /** Providers that are not available yet show as "coming soon". */
  available: boolean;
  modes: readonly ConnectionMode[];
  /** Where a configured connection points, for storage and display. */
  describeTarget(
    mode: string,
    config: Record<string, unknown>,
    platform: PlatformUrls,
  ): { baseUrl: string; deployment: DeploymentKind };
  create(context: ProviderContext): TicketingProvider;
};

/** Deployment-wide endpoints a provider may need (Atlassian's API gateway for OAuth modes). */
export type PlatformUrls = { atlassianApiUrl: string };
