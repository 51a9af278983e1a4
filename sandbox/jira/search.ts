/**
 * Enhanced JQL search (GET/POST /rest/api/3/search/jql) with nextPageToken paging.
 * As in Jira Cloud, the default `fields` is `id` only and unbounded queries are rejected.
 * Also the classic search (GET/POST /rest/api/2/search) that Jira Server / Data Center has.
 */
import { createHash } from "node:crypto";
import { queryList, queryValue } from "../http";
import type { StoredIssue } from "../state";
import { isRecord, jiraError, type JiraContext, type JiraHandler, type JiraResult } from "./context";
import { issueBean } from "./issues";
import { compileJql, JqlError, parseJql } from "./jql";

const DEFAULT_MAX_RESULTS = 50;
const MAX_RESULTS_IDS_ONLY = 5000;
const MAX_RESULTS_WITH_FIELDS = 100;

interface SearchRequest {
  jql: string;
  nextPageToken?: string;
  maxResults?: number;
  fields?: string[];
  expand?: string[];
  properties?: string[];
}

function jqlFingerprint(jql: string): string {
  return createHash("sha256").update(jql).digest("base64url").slice(0, 12);
}

function encodeToken(offset: number, jql: string): string {
  return Buffer.from(JSON.stringify({ o: offset, q: jqlFingerprint(jql) })).toString("base64url");
}

function decodeToken(token: string, jql: string): number | null {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as {
      o?: unknown;
      q?: unknown;
    };
    if (typeof parsed.o !== "number" || parsed.o < 0 || parsed.q !== jqlFingerprint(jql)) return null;
    return parsed.o;
  } catch {
    return null;
  }
}

/** Issues matching the JQL in its ORDER BY order, or Jira's 400 for JQL it cannot run. */
function runJql(ctx: JiraContext, jql: string, allowUnbounded: boolean): StoredIssue[] | JiraResult {
  try {
    const query = parseJql(jql);
    if (query.clauses.length === 0 && !allowUnbounded)
      return jiraError(400, [
        "Unbounded JQL queries are not allowed here. Please add a search restriction to your query.",
      ]);
    const compiled = compileJql(query, {
      site: ctx.site,
      accountId: ctx.user.accountId,
      now: ctx.state.now(),
    });
    return compiled.sort(ctx.site.issues.filter((issue) => compiled.matches(issue)));
  } catch (error) {
    if (error instanceof JqlError) return jiraError(400, [error.message]);
    throw error;
  }
}

function search(ctx: JiraContext, request: SearchRequest): JiraResult {
  const matching = runJql(ctx, request.jql, false);
  if (!Array.isArray(matching)) return matching;

  let offset = 0;
  if (request.nextPageToken !== undefined) {
    const decoded = decodeToken(request.nextPageToken, request.jql);
    if (decoded === null) return jiraError(400, ["The provided next page token is invalid or expired."]);
    offset = decoded;
  }
  const idsOnly = !request.fields || request.fields.every((f) => f === "id" || f === "key");
  const limit = idsOnly ? MAX_RESULTS_IDS_ONLY : MAX_RESULTS_WITH_FIELDS;
  const maxResults = Math.min(limit, Math.max(1, request.maxResults ?? DEFAULT_MAX_RESULTS));

  const pageIssues = matching.slice(offset, offset + maxResults);
  const isLast = offset + pageIssues.length >= matching.length;
  return {
    status: 200,
    body: {
      issues: pageIssues.map((issue) =>
        issueBean(ctx, issue, {
          fields: request.fields,
          expand: request.expand,
          properties: request.properties?.slice(0, 5),
          defaultFields: "id",
        }),
      ),
      ...(isLast ? {} : { nextPageToken: encodeToken(offset + pageIssues.length, request.jql) }),
      isLast,
    },
  };
}

export const searchJqlGet: JiraHandler = (ctx) => {
  const maxResults = queryValue(ctx.query, "maxResults");
  return search(ctx, {
    jql: queryValue(ctx.query, "jql") ?? "",
    nextPageToken: queryValue(ctx.query, "nextPageToken"),
    maxResults: maxResults === undefined ? undefined : Number(maxResults),
    fields: queryList(ctx.query, "fields"),
    expand: queryList(ctx.query, "expand"),
    properties: queryList(ctx.query, "properties"),
  });
};

export const searchJqlPost: JiraHandler = (ctx) => {
  const body = isRecord(ctx.body) ? ctx.body : {};
  const strings = (value: unknown) =>
    Array.isArray(value)
      ? value.filter((v): v is string => typeof v === "string").flatMap((v) => v.split(","))
      : undefined;
  return search(ctx, {
    jql: typeof body.jql === "string" ? body.jql : "",
    nextPageToken: typeof body.nextPageToken === "string" ? body.nextPageToken : undefined,
    maxResults: typeof body.maxResults === "number" ? body.maxResults : undefined,
    fields: strings(body.fields),
    expand: typeof body.expand === "string" ? body.expand.split(",").map((s) => s.trim()) : undefined,
    properties: strings(body.properties),
  });
};

const CLASSIC_MAX_RESULTS = 1000;

/**
 * Classic search (GET/POST /rest/api/2/search) with startAt/total paging and `*navigable` fields
 * by default. Only the Data Center personality serves it: Jira Cloud removed it in favour of
 * search/jql (the router answers 410 there, as Cloud does).
 */
function classicSearch(
  ctx: JiraContext,
  request: {
    jql: string;
    startAt?: number;
    maxResults?: number;
    fields?: string[];
    expand?: string[];
    properties?: string[];
  },
): JiraResult {
  const matching = runJql(ctx, request.jql, true);
  if (!Array.isArray(matching)) return matching;
  const startAt = Math.max(0, Math.trunc(request.startAt ?? 0));
  const maxResults = Math.min(
    CLASSIC_MAX_RESULTS,
    Math.max(0, Math.trunc(request.maxResults ?? DEFAULT_MAX_RESULTS)),
  );
  return {
    status: 200,
    body: {
      expand: "schema,names",
      startAt,
      maxResults,
      total: matching.length,
      issues: matching.slice(startAt, startAt + maxResults).map((issue) =>
        issueBean(ctx, issue, {
          fields: request.fields && request.fields.length > 0 ? request.fields : ["*navigable"],
          expand: request.expand,
          properties: request.properties,
          defaultFields: "id",
        }),
      ),
    },
  };
}

export const classicSearchGet: JiraHandler = (ctx) => {
  const number = (name: string) => {
    const raw = queryValue(ctx.query, name);
    return raw === undefined || raw === "" || Number.isNaN(Number(raw)) ? undefined : Number(raw);
  };
  return classicSearch(ctx, {
    jql: queryValue(ctx.query, "jql") ?? "",
    startAt: number("startAt"),
    maxResults: number("maxResults"),
    fields: queryList(ctx.query, "fields"),
    expand: queryList(ctx.query, "expand"),
    properties: queryList(ctx.query, "properties"),
  });
};

export const classicSearchPost: JiraHandler = (ctx) => {
  const body = isRecord(ctx.body) ? ctx.body : {};
  const strings = (value: unknown) =>
    Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : undefined;
  return classicSearch(ctx, {
    jql: typeof body.jql === "string" ? body.jql : "",
    startAt: typeof body.startAt === "number" ? body.startAt : undefined,
    maxResults: typeof body.maxResults === "number" ? body.maxResults : undefined,
    fields: strings(body.fields),
    expand: strings(body.expand),
    properties: strings(body.properties),
  });
};
