/** Dynamic webhooks registered by OAuth 2.0 apps (expire after 30 days unless refreshed). */
import { DYNAMIC_WEBHOOK_TTL_MS } from "../fixtures";
import { isLoopbackUrl, queryInt } from "../http";
import { WEBHOOK_EVENTS } from "../webhooks";
import { isRecord, jiraError, rest, type JiraContext, type JiraHandler, type JiraResult } from "./context";
import { compileJql, JqlError, parseJql } from "./jql";

function appIdentity(ctx: JiraContext): { clientId: string } | JiraResult {
  if (ctx.auth.kind !== "oauth")
    return jiraError(403, ["Only Connect apps and OAuth 2.0 apps can use this operation."]);
  return { clientId: ctx.auth.grant.clientId };
}

function ownWebhooks(ctx: JiraContext, clientId: string) {
  return ctx.state.dynamicWebhooks.filter(
    (w) => w.clientId === clientId && w.cloudId === ctx.site.site.cloudId,
  );
}

function webhookIds(body: unknown): number[] {
  return isRecord(body) && Array.isArray(body.webhookIds)
    ? body.webhookIds.filter((id): id is number => typeof id === "number")
    : [];
}

export const registerDynamicWebhooks: JiraHandler = (ctx) => {
  const app = appIdentity(ctx);
  if ("status" in app) return app;
  const body = isRecord(ctx.body) ? ctx.body : {};
  const url = typeof body.url === "string" ? body.url : "";
  if (!isLoopbackUrl(url))
    return jiraError(400, ["The sandbox only delivers webhooks to loopback URLs (localhost / 127.0.0.1)."]);
  const details = Array.isArray(body.webhooks) ? body.webhooks : [];
  const webhookRegistrationResult = details.map((detail) => {
    const errors: string[] = [];
    const events =
      isRecord(detail) && Array.isArray(detail.events)
        ? detail.events.filter((e): e is string => typeof e === "string")
        : [];
    const unknown = events.filter((e) => !(WEBHOOK_EVENTS as readonly string[]).includes(e));
    if (events.length === 0) errors.push("At least one event is required.");
    if (unknown.length > 0) errors.push(`Unsupported event(s): ${unknown.join(", ")}`);
    const jqlFilter = isRecord(detail) && typeof detail.jqlFilter === "string" ? detail.jqlFilter : "";
    try {
      compileJql(parseJql(jqlFilter), { site: ctx.site, accountId: null, now: ctx.state.now() });
    } catch (error) {
      if (!(error instanceof JqlError)) throw error;
      errors.push(error.message);
    }
    if (errors.length > 0 || !isRecord(detail)) return { errors };
    const id = ctx.state.nextWebhookId++;
    const list = (value: unknown) =>
      Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : undefined;
    ctx.state.dynamicWebhooks.push({
      id,
      clientId: app.clientId,
      cloudId: ctx.site.site.cloudId,
      url,
      events,
      jqlFilter,
      fieldIdsFilter: list(detail.fieldIdsFilter),
      issuePropertyKeysFilter: list(detail.issuePropertyKeysFilter),
      expirationDate: ctx.state.now() + DYNAMIC_WEBHOOK_TTL_MS,
    });
    return { createdWebhookId: id };
  });
  return { status: 200, body: { webhookRegistrationResult } };
};

export const getDynamicWebhooksForApp: JiraHandler = (ctx) => {
  const app = appIdentity(ctx);
  if ("status" in app) return app;
  const all = ownWebhooks(ctx, app.clientId);
  const startAt = Math.max(0, queryInt(ctx.query, "startAt", 0));
  const maxResults = Math.min(100, Math.max(1, queryInt(ctx.query, "maxResults", 100)));
  const values = all.slice(startAt, startAt + maxResults).map((w) => ({
    id: w.id,
    jqlFilter: w.jqlFilter,
    events: w.events,
    url: w.url,
    expirationDate: w.expirationDate,
    ...(w.fieldIdsFilter ? { fieldIdsFilter: w.fieldIdsFilter } : {}),
    ...(w.issuePropertyKeysFilter ? { issuePropertyKeysFilter: w.issuePropertyKeysFilter } : {}),
  }));
  const isLast = startAt + values.length >= all.length;
  return {
    status: 200,
    body: {
      self: rest(ctx, `/webhook?startAt=${startAt}&maxResults=${maxResults}`),
      maxResults,
      startAt,
      total: all.length,
      isLast,
      values,
    },
  };
};

export const deleteWebhookById: JiraHandler = (ctx) => {
  const app = appIdentity(ctx);
  if ("status" in app) return app;
  const ids = new Set(webhookIds(ctx.body));
  if (ids.size === 0) return jiraError(400, ["webhookIds must not be empty."]);
  const own = new Set(ownWebhooks(ctx, app.clientId).map((w) => w.id));
  ctx.state.dynamicWebhooks = ctx.state.dynamicWebhooks.filter((w) => !(ids.has(w.id) && own.has(w.id)));
  return { status: 202 };
};

export const refreshWebhooks: JiraHandler = (ctx) => {
  const app = appIdentity(ctx);
  if ("status" in app) return app;
  const ids = new Set(webhookIds(ctx.body));
  if (ids.size === 0) return jiraError(400, ["webhookIds must not be empty."]);
  const expirationDate = ctx.state.now() + DYNAMIC_WEBHOOK_TTL_MS;
  for (const webhook of ownWebhooks(ctx, app.clientId))
    if (ids.has(webhook.id)) webhook.expirationDate = expirationDate;
  return { status: 200, body: { expirationDate } };
};
