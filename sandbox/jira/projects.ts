/** Read-only metadata: myself, serverInfo, projects, permissions, createmeta, priorities, users. */
import { DEMO_ISSUE_TYPES, DEMO_PRIORITIES, DEFAULT_PRIORITY_ID, DEMO_USERS } from "../fixtures";
import { jiraDate, queryInt, queryList, queryValue } from "../http";
import { jiraError, param, rest, type JiraContext, type JiraHandler } from "./context";
import { createMetaFields } from "./fields";
import { hasPermission, PERMISSIONS } from "./permissions";
import { currentUser, issueTypeJson, priorityJson, projectJson, userDetails } from "./representations";
import { findIssue, findProject } from "./store";

export const getCurrentUser: JiraHandler = (ctx) => ({ status: 200, body: currentUser(ctx, ctx.user) });

/** Cloud's answer, or a Jira Data Center 9.12 one under the `/dc/{site}` prefix. */
export const getServerInfo: JiraHandler = (ctx) => {
  const dataCenter = ctx.deployment === "DataCenter";
  return {
    status: 200,
    body: {
      baseUrl: ctx.siteBase,
      displayUrl: ctx.siteBase,
      version: dataCenter ? "9.12.2" : "1001.0.0-SNAPSHOT",
      versionNumbers: dataCenter ? [9, 12, 2] : [1001, 0, 0],
      deploymentType: ctx.deployment,
      buildNumber: dataCenter ? 9120002 : 100289,
      buildDate: "2025-12-01T00:00:00.000+0000",
      serverTime: jiraDate(ctx.state.now()),
      scmInfo: "0000000000000000000000000000000000000000",
      serverTitle: "Jira",
      serverTimeZone: "Etc/UTC",
    },
  };
};

function page<T>(ctx: JiraContext, path: string, all: T[], defaultMax: number, limit: number) {
  const startAt = Math.max(0, queryInt(ctx.query, "startAt", 0));
  const maxResults = Math.min(limit, Math.max(1, queryInt(ctx.query, "maxResults", defaultMax)));
  const values = all.slice(startAt, startAt + maxResults);
  const isLast = startAt + values.length >= all.length;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(ctx.query))
    for (const v of [value].flat()) if (key !== "startAt" && key !== "maxResults") params.append(key, v);
  const link = (start: number) => {
    const p = new URLSearchParams(params);
    p.set("maxResults", String(maxResults));
    p.set("startAt", String(start));
    return `${rest(ctx, path)}?${p.toString()}`;
  };
  return {
    self: link(startAt),
    ...(isLast ? {} : { nextPage: link(startAt + maxResults) }),
    maxResults,
    startAt,
    total: all.length,
    isLast,
    values,
  };
}

export const searchProjects: JiraHandler = (ctx) => {
  const text = queryValue(ctx.query, "query")?.toLowerCase();
  const keys = queryList(ctx.query, "keys")?.map((k) => k.toUpperCase());
  const ids = queryList(ctx.query, "id");
  const action = queryValue(ctx.query, "action") ?? "view";
  const orderBy = queryValue(ctx.query, "orderBy") ?? "key";
  const descending = orderBy.startsWith("-");
  const sortField = orderBy.replace(/^[-+]/, "") === "name" ? "name" : "key";
  const projects = ctx.site.projects
    .filter((p) => !text || p.key.toLowerCase().includes(text) || p.name.toLowerCase().includes(text))
    .filter((p) => !keys || keys.includes(p.key))
    .filter((p) => !ids || ids.includes(p.id))
    // action=create lists only projects where the caller may create issues; edit likewise.
    .filter(
      (p) =>
        action === "view" ||
        action === "browse" ||
        hasPermission(action === "create" ? "CREATE_ISSUES" : "EDIT_ISSUES", p),
    )
    .sort((a, b) => a[sortField].localeCompare(b[sortField]) * (descending ? -1 : 1));
  const expand = new Set(queryList(ctx.query, "expand") ?? []);
  const values = projects.map((p) => {
    const json = projectJson(ctx, p, false);
    return expand.has("issueTypes")
      ? { ...json, issueTypes: p.issueTypeIds.map((id) => issueTypeJson(ctx, id)) }
      : json;
  });
  return { status: 200, body: page(ctx, "/project/search", values, 50, 100) };
};

function projectNotFound(idOrKey: string) {
  return jiraError(404, [`No project could be found with key '${idOrKey}'.`]);
}

/** GET /project: every visible project at once (deprecated in Cloud; what Server / Data Center has). */
export const getAllProjects: JiraHandler = (ctx) => ({
  status: 200,
  body: [...ctx.site.projects]
    .sort((a, b) => a.key.localeCompare(b.key))
    .map((project) => projectJson(ctx, project, false)),
});

export const getProject: JiraHandler = (ctx) => {
  const idOrKey = param(ctx, "projectIdOrKey");
  const project = findProject(ctx.site, idOrKey);
  if (!project) return projectNotFound(idOrKey);
  return { status: 200, body: projectJson(ctx, project, true) };
};

export const getMyPermissions: JiraHandler = (ctx) => {
  const requested = queryList(ctx.query, "permissions");
  if (!requested || requested.length === 0)
    return jiraError(400, ["The permissions query parameter was not provided."]);
  const unknown = requested.filter((key) => !PERMISSIONS[key]);
  if (unknown.length > 0) return jiraError(400, [`Permissions '${unknown.join(", ")}' are invalid.`]);

  const projectKey = queryValue(ctx.query, "projectKey") ?? queryValue(ctx.query, "projectId");
  const issueRef = queryValue(ctx.query, "issueKey") ?? queryValue(ctx.query, "issueId");
  let project = null;
  if (issueRef) {
    const issue = findIssue(ctx.site, issueRef);
    if (!issue) return jiraError(404, [`Issue does not exist or you do not have permission to see it.`]);
    project = ctx.site.projects.find((p) => p.id === issue.projectId) ?? null;
  } else if (projectKey) {
    project = findProject(ctx.site, projectKey) ?? null;
    if (!project) return projectNotFound(projectKey);
  }
  const permissions = Object.fromEntries(
    requested.map((key) => {
      const info = PERMISSIONS[key];
      return [
        key,
        {
          id: info?.id,
          key,
          name: info?.name,
          type: info?.type,
          description: info?.description,
          havePermission: hasPermission(key, project),
        },
      ];
    }),
  );
  return { status: 200, body: { permissions } };
};

export const getCreateIssueMetaIssueTypes: JiraHandler = (ctx) => {
  const idOrKey = param(ctx, "projectIdOrKey");
  const project = findProject(ctx.site, idOrKey);
  if (!project) return projectNotFound(idOrKey);
  // Without CREATE_ISSUES there is nothing to create: Jira lists no issue types.
  const types = hasPermission("CREATE_ISSUES", project)
    ? project.issueTypeIds.map((id) => issueTypeJson(ctx, id))
    : [];
  const startAt = Math.max(0, queryInt(ctx.query, "startAt", 0));
  const maxResults = Math.min(200, Math.max(1, queryInt(ctx.query, "maxResults", 50)));
  const issueTypes = types.slice(startAt, startAt + maxResults);
  return { status: 200, body: { issueTypes, maxResults, startAt, total: types.length } };
};

export const getCreateIssueMetaIssueTypeId: JiraHandler = (ctx) => {
  const idOrKey = param(ctx, "projectIdOrKey");
  const project = findProject(ctx.site, idOrKey);
  if (!project) return projectNotFound(idOrKey);
  const issueTypeId = param(ctx, "issueTypeId");
  if (!hasPermission("CREATE_ISSUES", project) || !project.issueTypeIds.includes(issueTypeId)) {
    return jiraError(400, [
      `Issue type with id '${issueTypeId}' does not exist or is not available for creating issues in project '${project.key}'.`,
    ]);
  }
  const all = createMetaFields(
    ctx,
    project,
    issueTypeId,
    issueTypeJson(ctx, issueTypeId),
    projectJson(ctx, project, false),
  );
  const startAt = Math.max(0, queryInt(ctx.query, "startAt", 0));
  const maxResults = Math.min(200, Math.max(1, queryInt(ctx.query, "maxResults", 50)));
  const fields = all.slice(startAt, startAt + maxResults);
  return { status: 200, body: { fields, maxResults, startAt, total: all.length } };
};

export const getPriorities: JiraHandler = (ctx) => ({
  status: 200,
  body: DEMO_PRIORITIES.map((p) => priorityJson(ctx, p.id)),
});

export const searchPriorities: JiraHandler = (ctx) => {
  const all = DEMO_PRIORITIES.map((p) => ({
    ...priorityJson(ctx, p.id),
    isDefault: p.id === DEFAULT_PRIORITY_ID,
  }));
  return { status: 200, body: page(ctx, "/priority/search", all, 50, 50) };
};

export const getIssueAllTypes: JiraHandler = (ctx) => ({
  status: 200,
  body: Object.values(DEMO_ISSUE_TYPES).map((t) => issueTypeJson(ctx, t.id)),
});

export const findAssignableUsers: JiraHandler = (ctx) => {
  const projectRef = queryValue(ctx.query, "project");
  const issueRef = queryValue(ctx.query, "issueKey") ?? queryValue(ctx.query, "issueId");
  if (!projectRef && !issueRef)
    return jiraError(400, [
      "One of the following parameters must be provided: project, issueKey or issueId.",
    ]);
  const issue = issueRef ? findIssue(ctx.site, issueRef) : undefined;
  if (issueRef && !issue)
    return jiraError(404, ["Issue does not exist or you do not have permission to see it."]);
  const project = issue
    ? ctx.site.projects.find((p) => p.id === issue.projectId)
    : findProject(ctx.site, projectRef ?? "");
  if (!project) return projectNotFound(projectRef ?? "");
  const text = (queryValue(ctx.query, "query") ?? "").toLowerCase();
  const accountId = queryValue(ctx.query, "accountId");
  const users = hasPermission("ASSIGNABLE_USER", project)
    ? DEMO_USERS.filter((u) => u.siteNames.includes(ctx.site.site.name))
        .filter((u) => !accountId || u.accountId === accountId)
        .filter(
          (u) =>
            !text || u.displayName.toLowerCase().includes(text) || u.email.toLowerCase().startsWith(text),
        )
    : [];
  const startAt = Math.max(0, queryInt(ctx.query, "startAt", 0));
  const maxResults = Math.max(1, queryInt(ctx.query, "maxResults", 50));
  return { status: 200, body: users.slice(startAt, startAt + maxResults).map((u) => userDetails(ctx, u)) };
};
