/** Issue create (single and bulk), read, edit and assign. */
import {
  DEFAULT_PRIORITY_ID,
  DEMO_TRANSITIONS,
  INITIAL_STATUS_ID,
  findUserByAccountId,
  type DemoProject,
} from "../fixtures";
import { queryList, queryValue } from "../http";
import type { ChangeItem, StoredIssue } from "../state";
import {
  isRecord,
  jiraError,
  rest,
  type ErrorCollection,
  type JiraContext,
  type JiraHandler,
} from "./context";
import { applyFieldOps, collectFieldOps, MSG, type IssueDraft } from "./fields";
import { hasPermission } from "./permissions";
import { setPropertiesFromList, validatePropertyList } from "./properties";
import { allIssueFields, findIssueType, selectFields, statusJson } from "./representations";
import {
  applyDraft,
  diffDrafts,
  draftOf,
  findProjectRef,
  isResult,
  issueFromPath,
  nextIssueKey,
  projectOf,
  recordChange,
} from "./store";

export const MAX_BULK_CREATE = 50;

type CreateOutcome = { ok: true; issue: StoredIssue } | { ok: false; errors: ErrorCollection };

/** The project's issue type referenced as `{id}` or `{name}`. */
function findProjectIssueType(project: DemoProject, ref: unknown) {
  if (!isRecord(ref)) return undefined;
  const types = project.issueTypeIds.map((id) => findIssueType(id)).filter((t) => t !== undefined);
  if (ref.id !== undefined) return types.find((t) => t.id === String(ref.id));
  if (typeof ref.name === "string")
    return types.find((t) => t.name.toLowerCase() === (ref.name as string).toLowerCase());
  return undefined;
}

/** Validates one IssueUpdateDetails and creates the issue if it is acceptable. */
function createOne(ctx: JiraContext, input: unknown): CreateOutcome {
  const fail = (errors: Record<string, string>, errorMessages: string[] = []): CreateOutcome => ({
    ok: false,
    errors: { errorMessages, errors },
  });
  if (!isRecord(input)) return fail({}, ["Issue details are missing."]);
  const errors: Record<string, string> = {};
  const ops = collectFieldOps(input.fields, input.update, errors);
  const setValue = (field: string) => ops.get(field)?.find((o) => o.op === "set")?.value;

  const projectRef = setValue("project");
  const project = projectRef === undefined ? undefined : findProjectRef(ctx.site, projectRef);
  if (!project) errors.project = MSG.projectInvalid;
  else if (!hasPermission("CREATE_ISSUES", project)) return fail({ project: MSG.projectNoCreate });

  const issueType = project ? findProjectIssueType(project, setValue("issuetype")) : undefined;
  if (setValue("issuetype") === undefined) errors.issuetype = MSG.issueTypeMissing;
  else if (project && !issueType) errors.issuetype = MSG.issueTypeInvalid;

  const draft: IssueDraft = {
    summary: "",
    description: null,
    priorityId: DEFAULT_PRIORITY_ID,
    labels: [],
    assigneeId: null,
    reporterId: ctx.user.accountId,
    customFields: {},
  };
  if (project && issueType) {
    applyFieldOps(ctx.site, project, issueType.id, draft, ops, "create", errors);
  } else if (setValue("summary") === undefined) {
    errors.summary = MSG.summaryRequired;
  }
  const transitionId =
    isRecord(input.transition) && input.transition.id !== undefined ? String(input.transition.id) : undefined;
  const transition = transitionId ? DEMO_TRANSITIONS.find((t) => t.id === transitionId) : undefined;
  if (transitionId && !transition)
    errors.transition = `Transition id '${transitionId}' is not valid for this issue.`;
  if (Object.keys(errors).length > 0 || !project || !issueType) return fail(errors);
  const properties = input.properties ?? [];
  const propertyError = validatePropertyList(properties);
  if (propertyError) return fail({}, [propertyError]);

  const now = ctx.state.now();
  const { id, key } = nextIssueKey(ctx.site, project);
  const issue: StoredIssue = {
    id,
    key,
    projectId: project.id,
    issueTypeId: issueType.id,
    statusId: transition?.toStatusId ?? INITIAL_STATUS_ID,
    summary: "",
    description: null,
    priorityId: DEFAULT_PRIORITY_ID,
    labels: [],
    assigneeId: null,
    reporterId: ctx.user.accountId,
    creatorId: ctx.user.accountId,
    created: now,
    updated: now,
    statusCategoryChanged: now,
    customFields: {},
    properties: new Map(),
    comments: [],
    changelog: [],
    attachments: [],
  };
  applyDraft(issue, draft);
  setPropertiesFromList(issue, properties as Array<{ key: string; value: unknown }>);
  ctx.site.issues.push(issue);
  ctx.runtime.webhooks.issueCreated(ctx.site, issue, ctx.user.accountId);
  return { ok: true, issue };
}

function createdIssueJson(ctx: JiraContext, issue: StoredIssue) {
  return { id: issue.id, key: issue.key, self: rest(ctx, `/issue/${issue.id}`) };
}

export const createIssue: JiraHandler = (ctx) => {
  const outcome = createOne(ctx, ctx.body);
  if (!outcome.ok) return { status: 400, body: outcome.errors };
  return { status: 201, body: createdIssueJson(ctx, outcome.issue) };
};

export const createIssues: JiraHandler = (ctx) => {
  const updates = isRecord(ctx.body) && Array.isArray(ctx.body.issueUpdates) ? ctx.body.issueUpdates : [];
  if (updates.length > MAX_BULK_CREATE) {
    return jiraError(400, [
      `Too many issues in one request: ${updates.length}. The maximum number of issues that can be created in bulk is ${MAX_BULK_CREATE}.`,
    ]);
  }
  const issues: Array<ReturnType<typeof createdIssueJson>> = [];
  const errors: Array<{ status: number; elementErrors: ErrorCollection; failedElementNumber: number }> = [];
  updates.forEach((update, index) => {
    const outcome = createOne(ctx, update);
    if (outcome.ok) issues.push(createdIssueJson(ctx, outcome.issue));
    else errors.push({ status: 400, elementErrors: outcome.errors, failedElementNumber: index });
  });
  // Jira answers 201 when at least one issue was created, 400 when none was.
  return { status: issues.length > 0 ? 201 : 400, body: { issues, errors } };
};

/** IssueBean with Jira's `fields`, `expand` and `properties` parameters applied. */
export function issueBean(
  ctx: JiraContext,
  issue: StoredIssue,
  options: { fields?: string[]; expand?: string[]; properties?: string[]; defaultFields: "*all" | "id" },
) {
  const project = projectOf(ctx.site, issue);
  const all = allIssueFields(ctx, project, issue);
  const fields = selectFields(all, options.fields, options.defaultFields);
  const expand = new Set(options.expand ?? []);
  const bean: Record<string, unknown> = {
    expand: "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations",
    id: issue.id,
    self: rest(ctx, `/issue/${issue.id}`),
    key: issue.key,
  };
  if (fields) bean.fields = fields;
  if (options.properties && options.properties.length > 0) {
    const wanted = options.properties.includes("*all") ? [...issue.properties.keys()] : options.properties;
    bean.properties = Object.fromEntries(
      wanted.filter((k) => issue.properties.has(k)).map((k) => [k, issue.properties.get(k)]),
    );
  }
  if (expand.has("names") && fields) {
    bean.names = Object.fromEntries(
      Object.keys(fields).map((f) => [f, f.charAt(0).toUpperCase() + f.slice(1)]),
    );
  }
  if (expand.has("changelog")) {
    const histories = [...issue.changelog].reverse().map((entry) => ({
      id: entry.id,
      author: findUserByAccountId(entry.authorId)
        ? { accountId: entry.authorId, displayName: findUserByAccountId(entry.authorId)?.displayName }
        : null,
      created: new Date(entry.created).toISOString().replace("Z", "+0000"),
      items: entry.items,
    }));
    bean.changelog = { startAt: 0, maxResults: histories.length, total: histories.length, histories };
  }
  if (expand.has("transitions")) bean.transitions = availableTransitions(ctx, project, issue);
  return bean;
}

export function availableTransitions(ctx: JiraContext, project: DemoProject, issue: StoredIssue) {
  if (!hasPermission("TRANSITION_ISSUES", project)) return [];
  return DEMO_TRANSITIONS.filter((t) => t.toStatusId !== issue.statusId).map((t) => ({
    id: t.id,
    name: t.name,
    to: statusJson(ctx, t.toStatusId),
    hasScreen: false,
    isGlobal: true,
    isInitial: false,
    isAvailable: true,
    isConditional: false,
    isLooped: false,
  }));
}

export const getIssue: JiraHandler = (ctx) => {
  const issue = issueFromPath(ctx);
  if (isResult(issue)) return issue;
  return {
    status: 200,
    body: issueBean(ctx, issue, {
      fields: queryList(ctx.query, "fields"),
      expand: queryList(ctx.query, "expand"),
      properties: queryList(ctx.query, "properties"),
      defaultFields: "*all",
    }),
  };
};

/** Applies `fields`/`update` to an existing issue; used by edit and by transitions with fields. */
export function editExisting(
  ctx: JiraContext,
  issue: StoredIssue,
  fieldsInput: unknown,
  updateInput: unknown,
): { items: ChangeItem[] } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const ops = collectFieldOps(fieldsInput, updateInput, errors);
  const before = draftOf(issue);
  const after = draftOf(issue);
  applyFieldOps(ctx.site, projectOf(ctx.site, issue), issue.issueTypeId, after, ops, "edit", errors);
  if (Object.keys(errors).length > 0) return { errors };
  applyDraft(issue, after);
  return { items: diffDrafts(before, after) };
}

export const editIssue: JiraHandler = (ctx) => {
  const issue = issueFromPath(ctx);
  if (isResult(issue)) return issue;
  if (!hasPermission("EDIT_ISSUES", projectOf(ctx.site, issue)))
    return jiraError(403, ["You do not have permission to edit issues in this project."]);
  const body = isRecord(ctx.body) ? ctx.body : {};
  const propertyError = body.properties === undefined ? null : validatePropertyList(body.properties);
  if (propertyError) return jiraError(400, [propertyError]);
  const result = editExisting(ctx, issue, body.fields, body.update);
  if ("errors" in result) return jiraError(400, [], result.errors);
  if (body.properties !== undefined)
    setPropertiesFromList(issue, body.properties as Array<{ key: string; value: unknown }>);
  if (result.items.length > 0) {
    const assigneeOnly = result.items.every((i) => i.fieldId === "assignee");
    const entry = recordChange(ctx.site, issue, ctx.user.accountId, result.items, ctx.state.now());
    ctx.runtime.webhooks.issueUpdated(
      ctx.site,
      issue,
      ctx.user.accountId,
      entry,
      assigneeOnly ? "issue_assigned" : "issue_updated",
    );
  }
  if (queryValue(ctx.query, "returnIssue") === "true") {
    return {
      status: 200,
      body: issueBean(ctx, issue, { defaultFields: "*all", expand: queryList(ctx.query, "expand") }),
    };
  }
  return { status: 204 };
};

export const assignIssue: JiraHandler = (ctx) => {
  const issue = issueFromPath(ctx);
  if (isResult(issue)) return issue;
  if (!hasPermission("ASSIGN_ISSUES", projectOf(ctx.site, issue)))
    return jiraError(403, ["You do not have permission to assign issues."]);
  const accountId = isRecord(ctx.body) ? ctx.body.accountId : undefined;
  const result = editExisting(
    ctx,
    issue,
    { assignee: accountId === null || accountId === undefined ? null : { accountId } },
    undefined,
  );
  if ("errors" in result) return jiraError(400, Object.values(result.errors));
  if (result.items.length > 0) {
    const entry = recordChange(ctx.site, issue, ctx.user.accountId, result.items, ctx.state.now());
    ctx.runtime.webhooks.issueUpdated(ctx.site, issue, ctx.user.accountId, entry, "issue_assigned");
  }
  return { status: 204 };
};
