/**
 * In-memory state of the sandbox: Jira sites with their issues, OAuth grants and tokens,
 * webhooks, fault settings and the logs tests inspect. `reset()` restores the demo data.
 */
import type { AdfDocument } from "./adf";
import {
  DEMO_PROJECTS,
  DEMO_SEED_ISSUES,
  DEMO_SITES,
  DEMO_USERS,
  DEFAULT_PRIORITY_ID,
  INITIAL_STATUS_ID,
  findUserByHandle,
  type DemoProject,
  type DemoSite,
  type DemoUser,
} from "./fixtures";
import type { FaultSettings } from "./faults";

export interface StoredComment {
  id: string;
  authorId: string;
  body: AdfDocument;
  visibility: { type: "role" | "group"; value: string; identifier?: string } | null;
  /** Comment properties set on create (Jira's `properties`: key → JSON value). */
  properties?: Record<string, unknown>;
  created: number;
  updated: number;
}

/** A file attached to an issue (POST /issue/{id}/attachments). */
export interface StoredAttachment {
  id: string;
  filename: string;
  mimeType: string;
  size: number;
  data: Buffer;
  authorId: string;
  created: number;
}

export interface ChangeItem {
  field: string;
  fieldtype: "jira" | "custom";
  fieldId: string;
  from: string | null;
  fromString: string | null;
  to: string | null;
  toString: string | null;
}

export interface ChangelogEntry {
  id: string;
  authorId: string;
  created: number;
  items: ChangeItem[];
}

export interface StoredIssue {
  id: string;
  key: string;
  projectId: string;
  issueTypeId: string;
  statusId: string;
  summary: string;
  description: AdfDocument | null;
  priorityId: string;
  labels: string[];
  assigneeId: string | null;
  reporterId: string;
  creatorId: string;
  created: number;
  updated: number;
  statusCategoryChanged: number;
  /** Custom field values in their stored form (option `{id,value}` or ADF document). */
  customFields: Record<string, unknown>;
  properties: Map<string, unknown>;
  comments: StoredComment[];
  changelog: ChangelogEntry[];
  /** Files attached to the issue, oldest first (absent on issues that never had any). */
  attachments?: StoredAttachment[];
}

export interface SiteState {
  site: DemoSite;
  projects: DemoProject[];
  issues: StoredIssue[];
  nextIssueNumber: number;
  nextIssueKeyNumber: Map<string, number>;
  nextCommentId: number;
  nextChangelogId: number;
  nextAttachmentId: number;
}

export interface AuthorizationCode {
  code: string;
  clientId: string;
  redirectUri: string;
  accountId: string;
  cloudIds: string[];
  scopes: string[];
  expiresAt: number;
  used: boolean;
}

/** One user's consent to one client; every token minted from it dies when it is revoked. */
export interface Grant {
  id: string;
  clientId: string;
  accountId: string;
  cloudIds: string[];
  scopes: string[];
  revoked: boolean;
  createdAt: number;
}

export interface AccessToken {
  token: string;
  grantId: string;
  expiresAt: number;
}

export interface RefreshToken {
  token: string;
  grantId: string;
  issuedAt: number;
  /** When it was exchanged for a newer token; it stays usable for a grace period after that. */
  rotatedAt: number | null;
}

export interface DynamicWebhook {
  id: number;
  clientId: string;
  cloudId: string;
  url: string;
  events: string[];
  jqlFilter: string;
  fieldIdsFilter?: string[];
  issuePropertyKeysFilter?: string[];
  expirationDate: number;
}

export interface AdminWebhook {
  id: number;
  url: string;
  secret: string | null;
  events: string[] | null;
  jqlFilter: string | null;
  /** Limit to one site (cloudId); null delivers events of every site. */
  cloudId: string | null;
}

export interface Violation {
  at: string;
  kind: "request" | "unknown-operation" | "response";
  method: string;
  path: string;
  operationId: string | null;
  messages: string[];
}

export interface RequestLogEntry {
  at: string;
  method: string;
  path: string;
  operationId: string | null;
  status: number;
  authKind: "basic" | "pat" | "oauth" | "none" | "invalid";
  accountId: string | null;
  /** null when the request was not validated (non-Jira routes, injected faults). */
  valid: boolean | null;
  fault: string | null;
  durationMs: number;
}

export interface WebhookDelivery {
  at: string;
  webhookId: number;
  kind: "admin" | "dynamic";
  url: string;
  event: string;
  status: number | null;
  error: string | null;
  attempts: number;
}

const MAX_LOG_ENTRIES = 1000;

export class SandboxState {
  private clockOffsetMs = 0;
  sites = new Map<string, SiteState>();
  codes = new Map<string, AuthorizationCode>();
  grants = new Map<string, Grant>();
  accessTokens = new Map<string, AccessToken>();
  refreshTokens = new Map<string, RefreshToken>();
  dynamicWebhooks: DynamicWebhook[] = [];
  adminWebhooks: AdminWebhook[] = [];
  nextWebhookId = 1;
  faults: FaultSettings = {};
  violations: Violation[] = [];
  requests: RequestLogEntry[] = [];
  deliveries: WebhookDelivery[] = [];

  constructor() {
    this.reset();
  }

  /** The injectable clock: wall time plus whatever tests advanced it by. */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  advanceClock(ms: number): void {
    this.clockOffsetMs += ms;
  }

  reset(): void {
    this.clockOffsetMs = 0;
    this.sites = new Map(DEMO_SITES.map((site) => [site.cloudId, this.freshSite(site)]));
    this.codes.clear();
    this.grants.clear();
    this.accessTokens.clear();
    this.refreshTokens.clear();
    this.dynamicWebhooks = [];
    this.adminWebhooks = [];
    this.nextWebhookId = 1;
    this.faults = {};
    this.violations = [];
    this.requests = [];
    this.deliveries = [];
  }

  private freshSite(site: DemoSite): SiteState {
    const state: SiteState = {
      site,
      projects: [...DEMO_PROJECTS],
      issues: [],
      nextIssueNumber: 10001,
      nextIssueKeyNumber: new Map(DEMO_PROJECTS.map((p) => [p.key, 1])),
      nextCommentId: 10000,
      nextChangelogId: 10000,
      nextAttachmentId: 10000,
    };
    const now = this.now();
    for (const seed of DEMO_SEED_ISSUES) {
      const project = DEMO_PROJECTS.find((p) => p.key === seed.projectKey);
      const reporter = findUserByHandle(seed.reporterHandle);
      if (!project || !reporter) continue;
      state.issues.push({
        id: seed.id,
        key: seed.key,
        projectId: project.id,
        issueTypeId: seed.issueTypeId,
        statusId: INITIAL_STATUS_ID,
        summary: seed.summary,
        description: null,
        priorityId: DEFAULT_PRIORITY_ID,
        labels: [],
        assigneeId: null,
        reporterId: reporter.accountId,
        creatorId: reporter.accountId,
        created: now,
        updated: now,
        statusCategoryChanged: now,
        customFields: {},
        properties: new Map(),
        comments: [],
        changelog: [],
      });
      const keyNumber = Number(seed.key.split("-")[1]);
      state.nextIssueKeyNumber.set(
        project.key,
        Math.max(state.nextIssueKeyNumber.get(project.key) ?? 1, keyNumber + 1),
      );
    }
    return state;
  }

  siteByCloudId(cloudId: string): SiteState | undefined {
    return this.sites.get(cloudId);
  }

  siteByName(name: string): SiteState | undefined {
    return [...this.sites.values()].find((s) => s.site.name === name);
  }

  userHasSite(user: DemoUser, site: DemoSite): boolean {
    return user.siteNames.includes(site.name);
  }

  usersOfSite(site: DemoSite): DemoUser[] {
    return DEMO_USERS.filter((u) => this.userHasSite(u, site));
  }

  recordViolation(v: Omit<Violation, "at">): Violation {
    const violation = { at: new Date(this.now()).toISOString(), ...v };
    pushBounded(this.violations, violation);
    return violation;
  }

  recordRequest(entry: RequestLogEntry): void {
    pushBounded(this.requests, entry);
  }

  recordDelivery(entry: WebhookDelivery): void {
    pushBounded(this.deliveries, entry);
  }
}

function pushBounded<T>(list: T[], item: T): void {
  list.push(item);
  if (list.length > MAX_LOG_ENTRIES) list.splice(0, list.length - MAX_LOG_ENTRIES);
}
