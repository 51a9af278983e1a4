/** Issue comments with ADF bodies and optional role/group visibility. */
import { checkAdf } from "../adf";
import { queryInt, queryValue } from "../http";
import type { StoredComment } from "../state";
import { isRecord, jiraError, param, type JiraHandler } from "./context";
import { hasPermission } from "./permissions";
import { commentJson } from "./representations";
import { isResult, issueFromPath, projectOf } from "./store";

export const getComments: JiraHandler = (ctx) => {
  const issue = issueFromPath(ctx);
  if (isResult(issue)) return issue;
  const startAt = Math.max(0, queryInt(ctx.query, "startAt", 0));
  const maxResults = Math.min(5000, Math.max(0, queryInt(ctx.query, "maxResults", 5000)));
  const newestFirst = queryValue(ctx.query, "orderBy") === "-created";
  const withProperties = (queryValue(ctx.query, "expand") ?? "").split(",").includes("properties");
  const ordered = newestFirst ? [...issue.comments].reverse() : issue.comments;
  return {
    status: 200,
    body: {
      startAt,
      maxResults,
      total: issue.comments.length,
      comments: ordered.slice(startAt, startAt + maxResults).map((c) => ({
        ...commentJson(ctx, issue, c),
        ...(withProperties ? { properties: propertiesJson(c) } : {}),
      })),
    },
  };
};

export const getComment: JiraHandler = (ctx) => {
  const issue = issueFromPath(ctx);
  if (isResult(issue)) return issue;
  const id = param(ctx, "id");
  const comment = issue.comments.find((c) => c.id === id);
  if (!comment) return jiraError(404, [`Can not find a comment for the id: ${id}.`]);
  return { status: 200, body: commentJson(ctx, issue, comment) };
};

export const addComment: JiraHandler = (ctx) => {
  const issue = issueFromPath(ctx);
  if (isResult(issue)) return issue;
  if (!hasPermission("ADD_COMMENTS", projectOf(ctx.site, issue)))
    return jiraError(403, ["You do not have the permission to comment on this issue."]);
  const body = isRecord(ctx.body) ? ctx.body : {};
  if (body.body === undefined || body.body === null || body.body === "")
    return jiraError(400, [], { comment: "Comment body can not be empty!" });
  const adf = checkAdf(body.body);
  if (!adf.ok) return jiraError(400, [], { comment: adf.reason });

  let visibility: StoredComment["visibility"] = null;
  if (body.visibility !== undefined && body.visibility !== null) {
    const v = body.visibility;
    if (
      !isRecord(v) ||
      (v.type !== "role" && v.type !== "group") ||
      (typeof v.value !== "string" && typeof v.identifier !== "string")
    ) {
      return jiraError(400, [], {
        commentLevel: "Visibility must have a type of 'role' or 'group' and a value.",
      });
    }
    const value = typeof v.value === "string" ? v.value : String(v.identifier);
    visibility = {
      type: v.type,
      value,
      ...(typeof v.identifier === "string" ? { identifier: v.identifier } : {}),
    };
  }

  const properties = commentProperties(body.properties);
  if (properties === null)
    return jiraError(400, ["Comment properties must be a list of objects with a key and a value."]);

  const now = ctx.state.now();
  const comment: StoredComment = {
    id: String(ctx.site.nextCommentId),
    authorId: ctx.user.accountId,
    body: adf.doc,
    visibility,
    ...(properties ? { properties } : {}),
    created: now,
    updated: now,
  };
  ctx.site.nextCommentId += 1;
  issue.comments.push(comment);
  issue.updated = now;
  // Comments are not field changes, so the webhook gets an empty changelog that is not stored.
  const entry = {
    id: String(ctx.site.nextChangelogId++),
    authorId: ctx.user.accountId,
    created: now,
    items: [],
  };
  // Jira emits both: comment_created and jira:issue_updated ("issue_commented").
  ctx.runtime.webhooks.commentCreated(ctx.site, issue, comment);
  ctx.runtime.webhooks.issueUpdated(ctx.site, issue, ctx.user.accountId, entry, "issue_commented", comment);
  return { status: 201, body: commentJson(ctx, issue, comment) };
};

/** `properties: [{ key, value }]` on create → key → value; undefined when absent, null when malformed. */
function commentProperties(raw: unknown): Record<string, unknown> | undefined | null {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) return null;
  const properties: Record<string, unknown> = {};
  for (const entry of raw) {
    if (!isRecord(entry) || typeof entry.key !== "string" || entry.key.length === 0 || entry.key.length > 255)
      return null;
    properties[entry.key] = entry.value;
  }
  return properties;
}

function propertiesJson(comment: StoredComment) {
  return Object.entries(comment.properties ?? {}).map(([key, value]) => ({ key, value }));
}
