/**
 * Test-control endpoints under /__sandbox/ (loopback callers only): reset, faults, clock,
 * inspection of issues/requests/violations, token expiry, admin webhooks.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { adfPlainText } from "./adf";
import { DEMO_SITES, DEMO_USERS, siteUrl } from "./fixtures";
import { faultSettingsSchema } from "./faults";
import { isLoopbackAddress, isLoopbackUrl, queryInt, queryValue, parseQuery, sendJson } from "./http";
import { IMPLEMENTED_OPERATIONS } from "./jira/router";
import { expireAllAccessTokens, revokeGrant } from "./oauth";
import type { SandboxRuntime } from "./runtime";

const clockSchema = z.object({ advanceMs: z.number().int().min(0) }).strict();
const adminWebhookSchema = z
  .object({
    url: z.string().refine(isLoopbackUrl, "url must be a loopback http(s) URL"),
    secret: z.string().min(1).optional(),
    events: z.array(z.string()).min(1).optional(),
    jqlFilter: z.string().optional(),
    site: z.string().optional(),
  })
  .strict();
const revokeSchema = z.object({ accountId: z.string().optional(), clientId: z.string().optional() }).strict();

function parseJsonBody(raw: string): unknown {
  if (raw.trim() === "") return {};
  return JSON.parse(raw) as unknown;
}

export async function handleAdminRequest(
  runtime: SandboxRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  rawBody: string,
): Promise<void> {
  const send = (status: number, body: unknown) => sendJson(res, status, body);
  if (!isLoopbackAddress(req.socket.remoteAddress))
    return send(403, { error: "The sandbox admin API only answers loopback callers." });
  const { state } = runtime;
  const method = req.method ?? "GET";
  const route = `${method} ${url.pathname.replace(/\/$/, "")}`;
  const query = parseQuery(url.searchParams);

  let body: unknown;
  try {
    body = parseJsonBody(rawBody);
  } catch {
    return send(400, { error: "Body must be JSON." });
  }
  const invalid = (error: z.ZodError) =>
    send(400, {
      error: "Invalid body",
      issues: error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`),
    });

  switch (route) {
    case "GET /__sandbox":
      return send(200, describe(runtime));
    case "POST /__sandbox/reset":
      state.reset();
      return send(200, { ok: true });
    case "GET /__sandbox/faults":
      return send(200, state.faults);
    case "POST /__sandbox/faults": {
      const parsed = faultSettingsSchema.safeParse(body);
      if (!parsed.success) return invalid(parsed.error);
      const { expireAccessTokens, ...faults } = parsed.data;
      state.faults = faults;
      const expired = expireAccessTokens ? expireAllAccessTokens(state) : 0;
      return send(200, { ...state.faults, ...(expireAccessTokens ? { expiredAccessTokens: expired } : {}) });
    }
    case "DELETE /__sandbox/faults":
      state.faults = {};
      return send(200, {});
    case "GET /__sandbox/clock":
      return send(200, { now: new Date(state.now()).toISOString(), nowMs: state.now() });
    case "POST /__sandbox/clock": {
      const parsed = clockSchema.safeParse(body);
      if (!parsed.success) return invalid(parsed.error);
      state.advanceClock(parsed.data.advanceMs);
      return send(200, { now: new Date(state.now()).toISOString(), nowMs: state.now() });
    }
    case "GET /__sandbox/issues":
      return send(200, listIssues(runtime, queryValue(query, "project"), queryValue(query, "site")));
    case "GET /__sandbox/requests": {
      const limit = Math.max(1, queryInt(query, "limit", 100));
      return send(200, state.requests.slice(-limit));
    }
    case "GET /__sandbox/violations":
      return send(200, state.violations);
    case "DELETE /__sandbox/violations":
      state.violations = [];
      return send(200, []);
    case "POST /__sandbox/tokens/expire":
      return send(200, { expiredAccessTokens: expireAllAccessTokens(state) });
    case "POST /__sandbox/grants/revoke": {
      const parsed = revokeSchema.safeParse(body);
      if (!parsed.success) return invalid(parsed.error);
      const grants = [...state.grants.values()].filter(
        (g) =>
          !g.revoked &&
          (!parsed.data.accountId || g.accountId === parsed.data.accountId) &&
          (!parsed.data.clientId || g.clientId === parsed.data.clientId),
      );
      for (const grant of grants) revokeGrant(state, grant.id);
      return send(200, { revokedGrants: grants.length });
    }
    case "GET /__sandbox/webhooks":
      return send(200, {
        admin: state.adminWebhooks.map(({ secret, ...w }) => ({ ...w, hasSecret: secret !== null })),
        dynamic: state.dynamicWebhooks,
      });
    case "POST /__sandbox/webhooks": {
      const parsed = adminWebhookSchema.safeParse(body);
      if (!parsed.success) return invalid(parsed.error);
      const site = parsed.data.site
        ? DEMO_SITES.find((s) => s.name === parsed.data.site || s.cloudId === parsed.data.site)
        : undefined;
      if (parsed.data.site && !site) return send(400, { error: `Unknown site '${parsed.data.site}'` });
      const webhook = {
        id: state.nextWebhookId++,
        url: parsed.data.url,
        secret: parsed.data.secret ?? null,
        events: parsed.data.events ?? null,
        jqlFilter: parsed.data.jqlFilter ?? null,
        cloudId: site?.cloudId ?? null,
      };
      state.adminWebhooks.push(webhook);
      return send(201, { id: webhook.id });
    }
    case "DELETE /__sandbox/webhooks":
      state.adminWebhooks = [];
      return send(200, { ok: true });
    case "GET /__sandbox/webhooks/deliveries":
      await runtime.webhooks.idle();
      return send(200, state.deliveries);
    default:
      return send(404, { error: `Unknown admin route ${route}. GET /__sandbox lists them.` });
  }
}

function listIssues(runtime: SandboxRuntime, projectKey: string | undefined, siteName: string | undefined) {
  const sites = [...runtime.state.sites.values()].filter(
    (s) => !siteName || s.site.name === siteName || s.site.cloudId === siteName,
  );
  return sites.flatMap((site) =>
    site.issues
      .filter(
        (issue) =>
          !projectKey ||
          site.projects.find((p) => p.id === issue.projectId)?.key === projectKey.toUpperCase(),
      )
      .map((issue) => ({
        site: site.site.name,
        cloudId: site.site.cloudId,
        id: issue.id,
        key: issue.key,
        issueTypeId: issue.issueTypeId,
        statusId: issue.statusId,
        summary: issue.summary,
        description: issue.description,
        descriptionText: issue.description ? adfPlainText(issue.description) : null,
        priorityId: issue.priorityId,
        labels: issue.labels,
        assigneeId: issue.assigneeId,
        reporterId: issue.reporterId,
        customFields: issue.customFields,
        created: new Date(issue.created).toISOString(),
        updated: new Date(issue.updated).toISOString(),
        properties: Object.fromEntries(issue.properties),
        comments: issue.comments,
      })),
  );
}

function describe(runtime: SandboxRuntime) {
  return {
    name: "TicketBridge Atlassian/Jira sandbox",
    publicUrl: runtime.publicUrl,
    strict: runtime.strict,
    users: DEMO_USERS.map((u) => ({
      displayName: u.displayName,
      email: u.email,
      accountId: u.accountId,
      apiToken: u.apiToken,
      personalAccessToken: u.personalAccessToken,
      sites: u.siteNames,
    })),
    sites: DEMO_SITES.map((s) => ({
      name: s.name,
      cloudId: s.cloudId,
      url: siteUrl(runtime.publicUrl, s),
      oauthApiBase: `${runtime.publicUrl}/ex/jira/${s.cloudId}`,
    })),
    oauthClients: [...runtime.clients.values()].map((c) => ({
      clientId: c.clientId,
      name: c.name,
      redirectUris: c.redirectUris,
    })),
    implementedJiraOperations: IMPLEMENTED_OPERATIONS,
    adminRoutes: [
      "POST /__sandbox/reset",
      "GET|POST|DELETE /__sandbox/faults",
      "GET|POST /__sandbox/clock {advanceMs}",
      "GET /__sandbox/issues?project=&site=",
      "GET /__sandbox/requests?limit=",
      "GET|DELETE /__sandbox/violations",
      "POST /__sandbox/tokens/expire",
      "POST /__sandbox/grants/revoke {accountId?, clientId?}",
      "GET|POST|DELETE /__sandbox/webhooks {url, secret?, events?, jqlFilter?, site?}",
      "GET /__sandbox/webhooks/deliveries",
    ],
  };
}
