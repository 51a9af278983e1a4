/** JSON shapes of Jira entities, kept to realistic subsets of what Jira Cloud returns. */
import {
  DEMO_CUSTOM_FIELDS,
  DEMO_ISSUE_TYPES,
  DEMO_PRIORITIES,
  DEMO_STATUS_CATEGORIES,
  DEMO_STATUSES,
  findUserByAccountId,
  findUserByHandle,
  type DemoProject,
  type DemoUser,
} from "../fixtures";
import { jiraDate } from "../http";
import type { StoredComment, StoredIssue } from "../state";
import { rest, type JiraContext } from "./context";
import { attachmentJson } from "./attachments";
import { customFieldsOnScreen } from "./fields";

/** What link building needs; a JiraContext qualifies, and so does the webhook dispatcher. */
export type Links = Pick<JiraContext, "apiBase" | "siteBase" | "publicUrl">;

function avatarUrls(ctx: Links, kind: "user" | "project", id: string): Record<string, string> {
  const base = `${ctx.publicUrl}/avatars/${kind === "user" ? id : `project-${id.toLowerCase()}`}.svg`;
  return {
    "48x48": `${base}?size=48`,
    "24x24": `${base}?size=24`,
    "16x16": `${base}?size=16`,
    "32x32": `${base}?size=32`,
  };
}

/** UserDetails as embedded in issues and comments (no email address, like Jira Cloud's privacy default). */
export function userDetails(ctx: Links, user: DemoUser) {
  return {
    self: `${ctx.apiBase}/rest/api/3/user?accountId=${encodeURIComponent(user.accountId)}`,
    accountId: user.accountId,
    avatarUrls: avatarUrls(ctx, "user", user.handle),
    displayName: user.displayName,
    active: true,
    timeZone: user.timeZone,
    accountType: "atlassian",
  };
}

export function userDetailsById(ctx: Links, accountId: string | null) {
  const user = accountId ? findUserByAccountId(accountId) : undefined;
  return user ? userDetails(ctx, user) : null;
}

/** The full User returned by /myself. */
export function currentUser(ctx: Links, user: DemoUser) {
  return {
    ...userDetails(ctx, user),
    emailAddress: user.email,
    locale: user.locale,
    groups: { size: 1, items: [] },
    applicationRoles: { size: 1, items: [] },
    expand: "groups,applicationRoles",
  };
}

type IssueTypeInfo = (typeof DEMO_ISSUE_TYPES)[keyof typeof DEMO_ISSUE_TYPES];

export function findIssueType(id: string): IssueTypeInfo | undefined {
  return Object.values(DEMO_ISSUE_TYPES).find((t) => t.id === id);
}

export function issueTypeJson(ctx: Links, issueTypeId: string) {
  const type = findIssueType(issueTypeId);
  if (!type) return null;
  return {
    self: rest(ctx, `/issuetype/${type.id}`),
    id: type.id,
    description: type.description,
    iconUrl: `${ctx.siteBase}/images/icons/issuetypes/${type.icon}.svg`,
    name: type.name,
    subtask: false,
    avatarId: 10300 + Number(type.id.slice(-1)),
    hierarchyLevel: type.hierarchyLevel,
  };
}

export function priorityJson(ctx: Links, priorityId: string) {
  const priority = DEMO_PRIORITIES.find((p) => p.id === priorityId);
  if (!priority) return null;
  return {
    self: rest(ctx, `/priority/${priority.id}`),
    iconUrl: `${ctx.siteBase}/images/icons/priorities/${priority.name.toLowerCase()}.svg`,
    name: priority.name,
    id: priority.id,
    statusColor: priority.statusColor,
    description: priority.description,
  };
}

export function statusJson(ctx: Links, statusId: string) {
  const status = DEMO_STATUSES.find((s) => s.id === statusId);
  if (!status) return null;
  const category = DEMO_STATUS_CATEGORIES[status.category];
  return {
    self: rest(ctx, `/status/${status.id}`),
    description: status.description,
    iconUrl: `${ctx.siteBase}/images/icons/statuses/generic.svg`,
    name: status.name,
    id: status.id,
    statusCategory: { self: rest(ctx, `/statuscategory/${category.id}`), ...category },
  };
}

export function projectSummary(ctx: Links, project: DemoProject) {
  return {
    self: rest(ctx, `/project/${project.id}`),
    id: project.id,
    key: project.key,
    name: project.name,
    projectTypeKey: "software",
    simplified: false,
    avatarUrls: avatarUrls(ctx, "project", project.key),
  };
}

export function projectJson(ctx: Links, project: DemoProject, full: boolean) {
  const summary = {
    expand: "description,lead,issueTypes,url,projectKeys,permissions,insight",
    ...projectSummary(ctx, project),
    style: "classic",
    isPrivate: false,
    properties: {},
  };
  if (!full) return summary;
  const lead = findUserByHandle(project.leadHandle);
  return {
    ...summary,
    description: project.description,
    ...(lead ? { lead: userDetails(ctx, lead) } : {}),
    components: [],
    issueTypes: project.issueTypeIds.map((id) => issueTypeJson(ctx, id)).filter((t) => t !== null),
    assigneeType: "UNASSIGNED",
    versions: [],
    roles: {},
  };
}

export function commentJson(ctx: Links, issue: StoredIssue, comment: StoredComment) {
  const author = userDetailsById(ctx, comment.authorId);
  return {
    self: rest(ctx, `/issue/${issue.id}/comment/${comment.id}`),
    id: comment.id,
    author,
    body: comment.body,
    updateAuthor: author,
    created: jiraDate(comment.created),
    updated: jiraDate(comment.updated),
    ...(comment.visibility
      ? {
          visibility: {
            ...comment.visibility,
            identifier: comment.visibility.identifier ?? comment.visibility.value,
          },
        }
      : {}),
    jsdPublic: true,
  };
}

/** Every field of an issue as GET /issue returns it with `fields=*all`. */
export function allIssueFields(
  ctx: Links,
  project: DemoProject,
  issue: StoredIssue,
): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    summary: issue.summary,
    description: issue.description,
    status: statusJson(ctx, issue.statusId),
    priority: priorityJson(ctx, issue.priorityId),
    issuetype: issueTypeJson(ctx, issue.issueTypeId),
    project: projectSummary(ctx, project),
    labels: [...issue.labels],
    assignee: userDetailsById(ctx, issue.assigneeId),
    reporter: userDetailsById(ctx, issue.reporterId),
    creator: userDetailsById(ctx, issue.creatorId),
    created: jiraDate(issue.created),
    updated: jiraDate(issue.updated),
    statuscategorychangedate: jiraDate(issue.statusCategoryChanged),
    resolution: null,
    resolutiondate: null,
    lastViewed: null,
    attachment: (issue.attachments ?? []).map((attachment) => attachmentJson(ctx, attachment)),
    comment: {
      comments: issue.comments.map((c) => commentJson(ctx, issue, c)),
      self: rest(ctx, `/issue/${issue.id}/comment`),
      maxResults: issue.comments.length,
      total: issue.comments.length,
      startAt: 0,
    },
  };
  for (const { fieldId } of customFieldsOnScreen(project, issue.issueTypeId)) {
    fields[fieldId] = customFieldJson(ctx, fieldId, issue.customFields[fieldId]);
  }
  return fields;
}

function customFieldJson(ctx: Links, fieldId: string, stored: unknown): unknown {
  if (stored === undefined || stored === null) return null;
  const def = DEMO_CUSTOM_FIELDS[fieldId as keyof typeof DEMO_CUSTOM_FIELDS];
  if (def?.kind === "select") {
    const option = stored as { id: string; value: string };
    return { self: rest(ctx, `/customFieldOption/${option.id}`), value: option.value, id: option.id };
  }
  return stored;
}

/** Fields that are returned for `*navigable` (everything but the comment list). */
const NON_NAVIGABLE = new Set(["comment"]);

/**
 * Applies Jira's `fields` parameter: `*all`, `*navigable`, `id`/`key` only, explicit names and
 * `-name` exclusions.
 */
export function selectFields(
  all: Record<string, unknown>,
  requested: string[] | undefined,
  fallback: "*all" | "id",
): Record<string, unknown> | null {
  const spec = requested && requested.length > 0 ? requested : [fallback];
  const include = new Set<string>();
  const exclude = new Set<string>();
  let base: "all" | "navigable" | "none" = "none";
  for (const entry of spec) {
    if (entry === "*all") base = "all";
    else if (entry === "*navigable") base = base === "all" ? "all" : "navigable";
    else if (entry.startsWith("-")) exclude.add(entry.slice(1));
    else include.add(entry);
  }
  // A list made only of exclusions means "navigable fields minus these".
  if (base === "none" && include.size === 0 && exclude.size > 0) base = "navigable";
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(all)) {
    const wanted = base === "all" || (base === "navigable" && !NON_NAVIGABLE.has(name)) || include.has(name);
    if (wanted && !exclude.has(name)) out[name] = value;
  }
  const onlyIds = base === "none" && [...include].every((f) => f === "id" || f === "key");
  return onlyIds ? null : out;
}
