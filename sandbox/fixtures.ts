/**
 * Deterministic demo data for the Atlassian/Jira sandbox.
 *
 * Pure constants and tiny helpers, no side effects: the app's seed scripts and tests import
 * these to log in as demo users or to assert on keys and ids.
 */

export interface DemoUser {
  /** Short handle used in docs and tests ("ada"). */
  handle: string;
  accountId: string;
  displayName: string;
  email: string;
  /** Jira Cloud API token, used as `Basic base64(email:apiToken)`. */
  apiToken: string;
  /** Server/DC style personal access token, used as `Bearer <pat>`. */
  personalAccessToken: string;
  /** Names of the sites (see DEMO_SITES) this account can use. */
  siteNames: readonly string[];
  timeZone: string;
  locale: string;
}

export interface DemoSite {
  cloudId: string;
  /** Site name as shown in accessible-resources ("acme-demo"). */
  name: string;
  /** Path prefix of the site's own base URL on the sandbox. */
  path: string;
}

export const DEMO_USERS: readonly DemoUser[] = [
  {
    handle: "ada",
    accountId: "712020:5f0c2a8e-6d1b-4c3a-9e2f-1a7b8c9d0e01",
    displayName: "Ada Lovelace",
    email: "ada@acme.example",
    apiToken: "sandbox-token-ada",
    personalAccessToken: "sandbox-pat-ada",
    siteNames: ["acme-demo", "globex-demo"],
    timeZone: "UTC",
    locale: "en_US",
  },
  {
    handle: "grace",
    accountId: "712020:7a3d9b1c-2e4f-4a5b-8c6d-2b8c9d0e1f02",
    displayName: "Grace Hopper",
    email: "grace@acme.example",
    apiToken: "sandbox-token-grace",
    personalAccessToken: "sandbox-pat-grace",
    siteNames: ["acme-demo"],
    timeZone: "UTC",
    locale: "en_US",
  },
  {
    handle: "linus",
    accountId: "712020:9c5e0d2f-3a6b-4c7d-9e8f-3c9d0e1f2a03",
    displayName: "Linus Customer",
    email: "linus@globex.example",
    apiToken: "sandbox-token-linus",
    personalAccessToken: "sandbox-pat-linus",
    siteNames: ["globex-demo"],
    timeZone: "UTC",
    locale: "en_US",
  },
];

export const DEMO_SITES: readonly DemoSite[] = [
  { cloudId: "3f6a8b2c-1d4e-4f5a-9b6c-7d8e9f0a1b2c", name: "acme-demo", path: "/site/acme-demo" },
  { cloudId: "8c7b6a5d-4e3f-4a2b-8c1d-0e9f8a7b6c5d", name: "globex-demo", path: "/site/globex-demo" },
];

/** The site served at the bare `/rest/api/3/...` root (like `https://acme-demo.atlassian.net`). */
export const DEFAULT_SITE_NAME = "acme-demo";

/** Base URL of a site, e.g. `http://localhost:4010/site/acme-demo`. */
export function siteUrl(publicUrl: string, site: DemoSite): string {
  return `${publicUrl.replace(/\/$/, "")}${site.path}`;
}

/** Base URL an OAuth app uses for a site, like `https://api.atlassian.com/ex/jira/{cloudId}`. */
export function oauthApiBaseUrl(publicUrl: string, cloudId: string): string {
  return `${publicUrl.replace(/\/$/, "")}/ex/jira/${cloudId}`;
}

export const DEMO_ISSUE_TYPES = {
  epic: {
    id: "10000",
    name: "Epic",
    description: "A big user story that needs to be broken down.",
    hierarchyLevel: 1,
    icon: "epic",
  },
  task: {
    id: "10001",
    name: "Task",
    description: "A small, distinct piece of work.",
    hierarchyLevel: 0,
    icon: "task",
  },
  story: { id: "10002", name: "Story", description: "A user story.", hierarchyLevel: 0, icon: "story" },
  bug: { id: "10003", name: "Bug", description: "A problem or error.", hierarchyLevel: 0, icon: "bug" },
} as const;

export type DemoIssueType = (typeof DEMO_ISSUE_TYPES)[keyof typeof DEMO_ISSUE_TYPES];
export const ALL_ISSUE_TYPE_IDS: readonly string[] = Object.values(DEMO_ISSUE_TYPES).map((t) => t.id);

export const DEMO_PRIORITIES = [
  { id: "1", name: "Highest", statusColor: "#d04437", description: "This problem will block progress." },
  {
    id: "2",
    name: "High",
    statusColor: "#f15C75",
    description: "Serious problem that could block progress.",
  },
  { id: "3", name: "Medium", statusColor: "#f79232", description: "Has the potential to affect progress." },
  { id: "4", name: "Low", statusColor: "#707070", description: "Minor problem or easily worked around." },
  {
    id: "5",
    name: "Lowest",
    statusColor: "#999999",
    description: "Trivial problem with little or no impact on progress.",
  },
] as const;
export const DEFAULT_PRIORITY_ID = "3";

export const DEMO_STATUS_CATEGORIES = {
  new: { id: 2, key: "new", colorName: "blue-gray", name: "To Do" },
  indeterminate: { id: 4, key: "indeterminate", colorName: "yellow", name: "In Progress" },
  done: { id: 3, key: "done", colorName: "green", name: "Done" },
} as const;

export const DEMO_STATUSES = [
  { id: "10000", name: "To Do", category: "new", description: "Work that has not been started." },
  {
    id: "3",
    name: "In Progress",
    category: "indeterminate",
    description: "The issue is currently being worked on.",
  },
  { id: "10001", name: "Done", category: "done", description: "Work has been completed." },
] as const;
export type DemoStatus = (typeof DEMO_STATUSES)[number];
export const INITIAL_STATUS_ID = "10000";

/** Simplified workflow: every status can be reached from any other one ("global" transitions). */
export const DEMO_TRANSITIONS = [
  { id: "11", name: "To Do", toStatusId: "10000" },
  { id: "21", name: "In Progress", toStatusId: "3" },
  { id: "31", name: "Done", toStatusId: "10001" },
] as const;

export const ENVIRONMENT_FIELD_ID = "customfield_10050";
export const STEPS_TO_REPRODUCE_FIELD_ID = "customfield_10051";

export const DEMO_CUSTOM_FIELDS = {
  [ENVIRONMENT_FIELD_ID]: {
    id: ENVIRONMENT_FIELD_ID,
    name: "Environment",
    kind: "select",
    schema: {
      type: "option",
      custom: "com.atlassian.jira.plugin.system.customfieldtypes:select",
      customId: 10050,
    },
    options: [
      { id: "10100", value: "Production" },
      { id: "10101", value: "Staging" },
      { id: "10102", value: "Development" },
    ],
  },
  [STEPS_TO_REPRODUCE_FIELD_ID]: {
    id: STEPS_TO_REPRODUCE_FIELD_ID,
    name: "Steps to reproduce",
    kind: "textarea",
    schema: {
      type: "string",
      custom: "com.atlassian.jira.plugin.system.customfieldtypes:textarea",
      customId: 10051,
    },
    options: [],
  },
} as const;
export type DemoCustomFieldId = keyof typeof DEMO_CUSTOM_FIELDS;

export interface DemoProject {
  id: string;
  key: string;
  name: string;
  description: string;
  leadHandle: string;
  /** Whether demo users hold CREATE_ISSUES (and edit/comment/transition) in this project. */
  canCreate: boolean;
  issueTypeIds: readonly string[];
  /** Custom fields on the create/edit screens, per issue type. */
  customFields: ReadonlyArray<{
    fieldId: DemoCustomFieldId;
    issueTypeIds: readonly string[];
    requiredFor: readonly string[];
  }>;
}

/** The same three projects exist on every demo site (each site is an independent Jira). */
export const DEMO_PROJECTS: readonly DemoProject[] = [
  {
    id: "10000",
    key: "DEMO",
    name: "Demo",
    description: "Anyone can create issues here. Only summary, issue type and project are required.",
    leadHandle: "ada",
    canCreate: true,
    issueTypeIds: ALL_ISSUE_TYPE_IDS,
    customFields: [
      { fieldId: STEPS_TO_REPRODUCE_FIELD_ID, issueTypeIds: [DEMO_ISSUE_TYPES.bug.id], requiredFor: [] },
    ],
  },
  {
    id: "10001",
    key: "OPS",
    name: "Operations",
    description: "Bugs need the Environment custom field.",
    leadHandle: "grace",
    canCreate: true,
    issueTypeIds: ALL_ISSUE_TYPE_IDS,
    customFields: [
      {
        fieldId: ENVIRONMENT_FIELD_ID,
        issueTypeIds: ALL_ISSUE_TYPE_IDS,
        requiredFor: [DEMO_ISSUE_TYPES.bug.id],
      },
    ],
  },
  {
    id: "10002",
    key: "READ",
    name: "Read only",
    description: "Demo users can browse this project but cannot create issues in it.",
    leadHandle: "ada",
    canCreate: false,
    issueTypeIds: ALL_ISSUE_TYPE_IDS,
    customFields: [],
  },
];

/** Issues that exist in every site right after start/reset (so READ has something to browse). */
export const DEMO_SEED_ISSUES = [
  {
    id: "10000",
    key: "READ-1",
    projectKey: "READ",
    issueTypeId: DEMO_ISSUE_TYPES.task.id,
    summary: "Welcome to the read-only project",
    reporterHandle: "ada",
  },
] as const;

export interface OAuthClientConfig {
  clientId: string;
  clientSecret: string;
  /** Shown on the consent page. */
  name: string;
  /** Exact redirect URIs, or "localhost" to allow any http://localhost:* / http://127.0.0.1:* URI. */
  redirectUris: readonly string[] | "localhost";
}

export const DEFAULT_OAUTH_CLIENT: OAuthClientConfig = {
  clientId: "ticketbridge-dev",
  clientSecret: "ticketbridge-dev-secret",
  name: "TicketBridge (dev)",
  redirectUris: "localhost",
};

/** Scopes TicketBridge is expected to request (classic Jira scopes + identity + refresh tokens). */
export const RECOMMENDED_SCOPES = [
  "read:jira-work",
  "write:jira-work",
  "read:jira-user",
  "manage:jira-webhook",
  "read:me",
  "offline_access",
] as const;

export const ACCESS_TOKEN_TTL_SECONDS = 3600;
export const AUTHORIZATION_CODE_TTL_MS = 10 * 60 * 1000;
export const REFRESH_TOKEN_REUSE_GRACE_MS = 10 * 60 * 1000;
/** Atlassian refresh tokens expire after 90 days of inactivity. */
export const REFRESH_TOKEN_INACTIVITY_MS = 90 * 24 * 60 * 60 * 1000;
export const DYNAMIC_WEBHOOK_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export function findUserByHandle(handle: string): DemoUser | undefined {
  return DEMO_USERS.find((u) => u.handle === handle);
}
export function findUserByAccountId(accountId: string): DemoUser | undefined {
  return DEMO_USERS.find((u) => u.accountId === accountId);
}
