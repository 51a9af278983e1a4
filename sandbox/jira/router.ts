/**
 * The Jira REST pipeline: resolve the site from the URL prefix, inject faults, validate against the
 * OpenAPI document, authenticate like Jira, dispatch by operationId.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { DEFAULT_SITE_NAME, DEMO_USERS, oauthApiBaseUrl, siteUrl, type DemoUser } from "../fixtures";
import {
  faultApplies,
  RATE_LIMIT_BODY,
  serverErrorBody,
  takeFaultAfterCreate,
  takeFaultBeforeHandling,
} from "../faults";
import { JIRA_JSON, parseQuery, readRawBody, sendJson } from "../http";
import { resolveAccessToken, SCOPE_MISMATCH_BODY, UNAUTHORIZED_GATEWAY_BODY } from "../oauth";
import { loadJiraOpenApi, type MatchedOperation } from "../openapi";
import type { SandboxRuntime } from "../runtime";
import type { RequestLogEntry, SiteState } from "../state";
import {
  addAttachment,
  describeParts,
  getAttachmentContent,
  isMultipart,
  parseMultipart,
  type UploadedPart,
} from "./attachments";
import { addComment, getComment, getComments } from "./comments";
import {
  NOT_AUTHENTICATED,
  type JiraAuth,
  type JiraContext,
  type JiraHandler,
  type JiraResult,
} from "./context";
import { assignIssue, createIssue, createIssues, editIssue, getIssue } from "./issues";
import {
  findAssignableUsers,
  getAllProjects,
  getCreateIssueMetaIssueTypeId,
  getCreateIssueMetaIssueTypes,
  getCurrentUser,
  getIssueAllTypes,
  getMyPermissions,
  getPriorities,
  getProject,
  getServerInfo,
  searchPriorities,
  searchProjects,
} from "./projects";
import { deleteIssueProperty, getIssueProperty, getIssuePropertyKeys, setIssueProperty } from "./properties";
import { classicSearchGet, classicSearchPost, searchJqlGet, searchJqlPost } from "./search";
import { doTransition, getTransitions } from "./transitions";
import { isV2Path, v2RequestBody, v2ResponseBody, v3Twin } from "./v2";
import {
  deleteWebhookById,
  getDynamicWebhooksForApp,
  refreshWebhooks,
  registerDynamicWebhooks,
} from "./webhooks";

/** Handlers by the operationId Atlassian's OpenAPI document gives each endpoint. */
const HANDLERS: Record<string, JiraHandler> = {
  getCurrentUser,
  getServerInfo,
  searchProjects,
  getAllProjects,
  getProject,
  getMyPermissions,
  getCreateIssueMetaIssueTypes,
  getCreateIssueMetaIssueTypeId,
  getPriorities,
  searchPriorities,
  getIssueAllTypes,
  findAssignableUsers,
  createIssue,
  createIssues,
  getIssue,
  editIssue,
  assignIssue,
  getTransitions,
  doTransition,
  getComments,
  addComment,
  getComment,
  addAttachment,
  getAttachmentContent,
  getIssuePropertyKeys,
  getIssueProperty,
  setIssueProperty,
  deleteIssueProperty,
  searchAndReconsileIssuesUsingJql: searchJqlGet,
  searchAndReconsileIssuesUsingJqlPost: searchJqlPost,
  searchForIssuesUsingJql: classicSearchGet,
  searchForIssuesUsingJqlPost: classicSearchPost,
  registerDynamicWebhooks,
  getDynamicWebhooksForApp,
  deleteWebhookById,
  refreshWebhooks,
};

export const IMPLEMENTED_OPERATIONS = Object.keys(HANDLERS);

/**
 * Operations that create issues, attachments or comments; `afterCreate` faults strike after these did their
 * work (clients must not create twice when the answer is lost).
 */
const CREATE_OPERATIONS = new Set(["createIssue", "createIssues", "addAttachment", "addComment"]);
/** Operations whose body is multipart/form-data rather than JSON. */
const MULTIPART_OPERATIONS = new Set(["addAttachment"]);
/**
 * Jira answers these without credentials (attachment content: where anonymous users may browse the
 * project, as every sandbox project allows; the browse page's images need it).
 */
const ANONYMOUS_OPERATIONS = new Set(["getServerInfo", "getAttachmentContent"]);
/** Still in the document, but Jira Cloud answers 410 Gone (CHANGE-2046); Data Center serves them. */
const REMOVED_FROM_CLOUD = new Set(["searchForIssuesUsingJql", "searchForIssuesUsingJqlPost"]);

interface JiraTarget {
  site: SiteState;
  /** "oauth" for api.atlassian.com/ex/jira/{cloudId}, "site" for a site's own base URL. */
  mode: "site" | "oauth";
  /** `/dc/{name}` plays a Jira Data Center in front of the same site: REST v2 only, PAT or Basic. */
  deployment: "Cloud" | "DataCenter";
  jiraPath: string;
  apiBase: string;
  siteBase: string;
}

/**
 * Splits `/ex/jira/{cloudId}/rest/...`, `/site/{name}/rest/...`, `/dc/{name}/rest/...` or
 * `/rest/...`; null if not Jira.
 */
export function jiraPathOf(
  pathname: string,
): { prefix: "ex" | "site" | "dc" | "root"; id: string; jiraPath: string } | null {
  const ex = /^\/ex\/jira\/([^/]+)(\/rest\/.*)$/.exec(pathname);
  if (ex) return { prefix: "ex", id: decodeURIComponent(ex[1] ?? ""), jiraPath: ex[2] ?? "" };
  const site = /^\/(site|dc)\/([^/]+)(\/rest\/.*)$/.exec(pathname);
  if (site)
    return {
      prefix: site[1] === "dc" ? "dc" : "site",
      id: decodeURIComponent(site[2] ?? ""),
      jiraPath: site[3] ?? "",
    };
  if (pathname.startsWith("/rest/")) return { prefix: "root", id: DEFAULT_SITE_NAME, jiraPath: pathname };
  return null;
}

function resolveTarget(
  runtime: SandboxRuntime,
  parsed: NonNullable<ReturnType<typeof jiraPathOf>>,
): JiraTarget | JiraResult {
  const { state, publicUrl } = runtime;
  if (parsed.prefix === "ex") {
    const site = state.siteByCloudId(parsed.id);
    if (!site)
      return {
        status: 404,
        body: { errorMessages: [`No Jira site found for cloudId '${parsed.id}'.`], errors: {} },
      };
    return {
      site,
      mode: "oauth",
      deployment: "Cloud",
      jiraPath: parsed.jiraPath,
      apiBase: oauthApiBaseUrl(publicUrl, site.site.cloudId),
      siteBase: siteUrl(publicUrl, site.site),
    };
  }
  const site = state.siteByName(parsed.id);
  if (!site)
    return { status: 404, body: { errorMessages: [`No Jira site named '${parsed.id}'.`], errors: {} } };
  // The bare /rest root behaves like https://acme-demo.atlassian.net itself.
  const base =
    parsed.prefix === "root"
      ? publicUrl
      : parsed.prefix === "dc"
        ? `${publicUrl}/dc/${encodeURIComponent(site.site.name)}`
        : siteUrl(publicUrl, site.site);
  const deployment = parsed.prefix === "dc" ? "DataCenter" : "Cloud";
  return { site, mode: "site", deployment, jiraPath: parsed.jiraPath, apiBase: base, siteBase: base };
}

type AuthOutcome =
  | { ok: true; user: DemoUser; auth: JiraAuth }
  | { ok: false; result: JiraResult; kind: RequestLogEntry["authKind"] };

function authenticate(
  runtime: SandboxRuntime,
  target: JiraTarget,
  header: string | undefined,
  operation: MatchedOperation,
): AuthOutcome {
  const deny = (
    status: number,
    body: unknown,
    kind: RequestLogEntry["authKind"] = "invalid",
  ): AuthOutcome => ({ ok: false, result: { status, body }, kind });
  if (target.mode === "oauth") {
    const caller = resolveAccessToken(runtime.state, header);
    if (!caller || !caller.grant.cloudIds.includes(target.site.site.cloudId))
      return deny(401, UNAUTHORIZED_GATEWAY_BODY, header ? "invalid" : "none");
    const scopes = new Set(caller.grant.scopes);
    const allowed =
      operation.oauthScopeSets.length === 0 ||
      operation.oauthScopeSets.some((set) => set.every((s) => scopes.has(s)));
    if (!allowed) return deny(401, SCOPE_MISMATCH_BODY, "oauth");
    return { ok: true, user: caller.user, auth: { kind: "oauth", grant: caller.grant } };
  }
  let user: DemoUser | undefined;
  let kind: "basic" | "pat";
  if (header?.startsWith("Basic ")) {
    kind = "basic";
    const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const email = decoded.slice(0, colon).toLowerCase();
    const secret = decoded.slice(colon + 1);
    user = colon > 0 ? DEMO_USERS.find((u) => u.email === email && u.apiToken === secret) : undefined;
  } else if (header?.startsWith("Bearer ")) {
    kind = "pat";
    const secret = header.slice(7).trim();
    user = DEMO_USERS.find((u) => u.personalAccessToken === secret);
  } else {
    return deny(401, NOT_AUTHENTICATED, "none");
  }
  if (!user) return deny(401, NOT_AUTHENTICATED);
  if (!user.siteNames.includes(target.site.site.name)) {
    return deny(
      403,
      {
        errorMessages: [`${user.email} does not have access to the Jira site '${target.site.site.name}'.`],
        errors: {},
      },
      kind,
    );
  }
  return { ok: true, user, auth: { kind } };
}

/** Mutable notes about the request, written to the request log when the response ends. */
export type RequestNotes = Pick<
  RequestLogEntry,
  "operationId" | "authKind" | "accountId" | "valid" | "fault"
>;

function sendJira(res: ServerResponse, result: JiraResult): void {
  if (result.raw) {
    res.writeHead(result.status, {
      "Content-Type": result.raw.contentType,
      "Content-Length": String(result.raw.data.length),
      ...result.headers,
    });
    res.end(result.raw.data);
    return;
  }
  if (typeof result.body === "string") {
    // Plain-text refusals (Jira's "XSRF check failed").
    res.writeHead(result.status, { "Content-Type": "text/plain", ...result.headers });
    res.end(result.body);
    return;
  }
  if (result.status === 204 || result.body === undefined) {
    res.writeHead(result.status, { "Content-Type": JIRA_JSON, "Content-Length": "0", ...result.headers });
    res.end();
    return;
  }
  sendJson(res, result.status, result.body, result.headers, JIRA_JSON);
}

function isJsonContentType(value: string | undefined): boolean {
  return /^application\/(?:[\w.+-]+\+)?json\b/i.test(value ?? "");
}

export async function handleJiraRequest(
  runtime: SandboxRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  notes: RequestNotes,
): Promise<void> {
  const parsed = jiraPathOf(url.pathname);
  if (!parsed) return sendJira(res, { status: 404, body: { errorMessages: ["Not found"], errors: {} } });
  const { state } = runtime;
  const method = (req.method ?? "GET").toUpperCase();

  const faults = state.faults;
  if (faultApplies(faults, { rawPath: url.pathname, jiraPath: parsed.jiraPath })) {
    if (faults.latencyMs) await runtime.sleep(faults.latencyMs);
    const fault = takeFaultBeforeHandling(faults);
    if (fault) {
      notes.fault = fault.kind;
      if (fault.kind === "timeout") {
        await runtime.sleep(fault.hangMs);
        res.destroy();
        return;
      }
      if (fault.kind === "rateLimit") {
        const reset = new Date(state.now() + fault.retryAfterSeconds * 1000).toISOString();
        return sendJira(res, {
          status: 429,
          body: RATE_LIMIT_BODY,
          headers: {
            "Retry-After": String(fault.retryAfterSeconds),
            "X-RateLimit-Reset": reset,
            "RateLimit-Reason": "jira-burst-based",
          },
        });
      }
      if (fault.kind === "serverError")
        return sendJira(res, { status: fault.status, body: serverErrorBody(fault.status) });
    }
  }

  const target = resolveTarget(runtime, parsed);
  if (!("site" in target)) return sendJira(res, target);

  if (target.deployment === "DataCenter" && target.jiraPath.startsWith("/rest/api/3/")) {
    return sendJira(res, {
      status: 404,
      body: {
        errorMessages: [`Jira Data Center has no REST API v3 (${target.jiraPath}); use /rest/api/2.`],
        errors: {},
      },
    });
  }
  // REST v2 requests are checked against their v3 twin: the document only describes v3.
  const apiVersion = isV2Path(target.jiraPath) ? 2 : 3;
  const specPath = v3Twin(target.jiraPath);
  const rawBytes = await readRawBody(req);
  const contentType = req.headers["content-type"];
  // Multipart bodies (attachments) are validated as the MultipartFile array the document describes.
  let files: UploadedPart[] | undefined;
  let rawBody = rawBytes.toString("utf8");
  if (rawBytes.length > 0 && isMultipart(contentType)) {
    files = (await parseMultipart(rawBytes, contentType ?? "")) ?? undefined;
    if (!files)
      return sendJira(res, {
        status: 400,
        body: { errorMessages: ["The multipart/form-data body could not be read."], errors: {} },
      });
    rawBody = JSON.stringify(describeParts(files));
  }
  const spec = await loadJiraOpenApi();
  const operation = spec.match(method, specPath);
  if (!operation) {
    const message = `No operation in Jira's OpenAPI document matches ${method} ${target.jiraPath}.`;
    notes.valid = false;
    reportViolation(runtime, {
      kind: "unknown-operation",
      method,
      path: url.pathname,
      operationId: null,
      messages: [message],
    });
    return sendJira(res, { status: 404, body: { errorMessages: [message], errors: {} } });
  }
  notes.operationId = operation.operationId;

  const query = parseQuery(url.searchParams);
  const multipartOperation = MULTIPART_OPERATIONS.has(operation.operationId);
  const problems = spec.validateRequest(operation.operationId, {
    method,
    path: specPath,
    query,
    headers: multipartOperation ? { ...req.headers, "content-type": "application/json" } : req.headers,
    rawBody,
  });
  if (multipartOperation && !files) {
    problems.push(`content-type must be multipart/form-data (got '${contentType ?? ""}')`);
  } else if (
    !multipartOperation &&
    rawBody !== "" &&
    operation.hasRequestBody &&
    !isJsonContentType(contentType)
  ) {
    problems.push(`content-type must be application/json (got '${contentType ?? ""}')`);
  }
  notes.valid = problems.length === 0;
  if (problems.length > 0) {
    reportViolation(runtime, {
      kind: "request",
      method,
      path: url.pathname + url.search,
      operationId: operation.operationId,
      messages: problems,
    });
  }

  const anonymous = ANONYMOUS_OPERATIONS.has(operation.operationId) && !req.headers.authorization;
  let user: DemoUser | undefined;
  let auth: JiraAuth | undefined;
  if (!anonymous) {
    const outcome = authenticate(runtime, target, req.headers.authorization, operation);
    if (!outcome.ok) {
      notes.authKind = outcome.kind;
      return sendJira(res, outcome.result);
    }
    ({ user, auth } = outcome);
    notes.authKind = outcome.auth.kind;
    notes.accountId = outcome.user.accountId;
  }

  if (problems.length > 0) {
    return sendJira(res, {
      status: 400,
      body: {
        errorMessages: [`Request does not conform to Jira's OpenAPI document: ${problems.join("; ")}`],
        errors: {},
      },
    });
  }

  const handler = HANDLERS[operation.operationId];
  if (!handler) {
    return sendJira(res, {
      status: 501,
      body: {
        errorMessages: [
          `The Jira sandbox does not implement ${operation.operationId} (${method} ${target.jiraPath}).`,
        ],
        errors: {},
      },
    });
  }

  if (target.deployment === "Cloud" && REMOVED_FROM_CLOUD.has(operation.operationId)) {
    return sendJira(res, {
      status: 410,
      body: {
        errorMessages: [
          "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046",
        ],
        errors: {},
      },
    });
  }

  let body: unknown;
  if (rawBody !== "" && !files) {
    try {
      body = JSON.parse(rawBody);
    } catch {
      return sendJira(res, {
        status: 400,
        body: { errorMessages: ["Unexpected character in the JSON body."], errors: {} },
      });
    }
  }
  if (apiVersion === 2) {
    const converted = v2RequestBody(operation.operationId, body);
    if ("error" in converted) return sendJira(res, converted.error);
    body = converted.body;
  }
  const ctx: JiraContext = {
    runtime,
    state,
    site: target.site,
    // Anonymous calls (serverInfo) never read the user; the first demo user keeps types simple.
    user: user ?? (DEMO_USERS[0] as DemoUser),
    auth: auth ?? { kind: "basic" },
    apiBase: target.apiBase,
    siteBase: target.siteBase,
    publicUrl: runtime.publicUrl,
    deployment: target.deployment,
    operationId: operation.operationId,
    params: operation.params,
    query,
    body,
    ...(files ? { files } : {}),
    headers: req.headers,
  };
  const result = await handler(ctx);

  if (runtime.validateResponses && result.status < 300 && result.body !== undefined) {
    const messages = spec.validateResponse(operation.operationId, result.status, result.body);
    if (messages.length > 0)
      reportViolation(runtime, {
        kind: "response",
        method,
        path: url.pathname,
        operationId: operation.operationId,
        messages,
      });
  }

  if (
    CREATE_OPERATIONS.has(operation.operationId) &&
    result.status >= 200 &&
    result.status < 300 &&
    faultApplies(faults, { rawPath: url.pathname, jiraPath: target.jiraPath })
  ) {
    const fault = takeFaultAfterCreate(faults);
    if (fault) {
      notes.fault = fault.kind;
      if (fault.kind === "timeoutAfterCreate") await runtime.sleep(fault.hangMs);
      res.destroy();
      return;
    }
  }
  if (apiVersion === 2 && result.body !== undefined) {
    return sendJira(res, { ...result, body: v2ResponseBody(result.body, target.apiBase) });
  }
  sendJira(res, result);
}

function reportViolation(
  runtime: SandboxRuntime,
  violation: Parameters<SandboxRuntime["state"]["recordViolation"]>[0],
): void {
  runtime.state.recordViolation(violation);
  if (runtime.strict) {
    process.stderr.write(
      `\n[sandbox] OPENAPI VIOLATION (${violation.kind}) ${violation.method} ${violation.path}\n  ${violation.messages.join("\n  ")}\n\n`,
    );
  }
}
