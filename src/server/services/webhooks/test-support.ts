/**
 * Helpers for the webhook tests (not shipped code): a Jira integration on the sandbox's acme-demo
 * site with a webhook secret, signed deliveries through the route handler, a loopback receiver
 * the sandbox can deliver to, and Jira-shaped payloads.
 */
import { createHmac, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { expect } from "vitest";

import { ADA, call, GRACE } from "../../../../sandbox/test-helpers";

import { POST } from "~/app/api/webhooks/jira/[integrationId]/route";
import type { Prisma } from "~/generated/prisma/client";
import type { Viewer } from "~/server/api/trpc";
import { db } from "~/server/db";
import { runWebhookEventJob } from "~/server/jobs/webhook-event-worker";
import { createTicket } from "~/server/services/tickets/tickets";
import { createIntegration, testIntegration } from "~/server/services/integrations/integrations";
import { linkAtlassianGrant, sandboxUrl } from "~/test/atlassian";
import { createMember, unique } from "~/test/db";

import { rotateWebhookSecret } from "./webhook-setup";

export const SITE = "acme-demo";

export type ConnectedJira = { viewer: Viewer; integrationId: string; secret: string };

/** A new organization with an ACTIVE Jira integration (Ada's API token) and a webhook secret. */
export async function connectJira(settings: Record<string, unknown> = {}): Promise<ConnectedJira> {
  const session = await createMember("OWNER");
  const viewer: Viewer = { userId: session.user.id, organizationId: session.organization!.id, role: "OWNER" };
  const integration = await createIntegration(viewer, {
    provider: "jira",
    mode: "cloud_api_token",
    name: unique("Jira"),
    config: { baseUrl: `${sandboxUrl()}/site/${SITE}`, projectKey: "DEMO", defaultIssueType: "Task" },
    credentials: { email: ADA.email, apiToken: ADA.apiToken },
  });
  await testIntegration(viewer, { id: integration.id });
  if (Object.keys(settings).length > 0) {
    const stored = await db.integration.findUniqueOrThrow({ where: { id: integration.id } });
    await db.integration.update({
      where: { id: integration.id },
      data: {
        settings: { ...(stored.settings as Prisma.JsonObject), ...settings } as Prisma.InputJsonObject,
      },
    });
  }
  const { secret } = await rotateWebhookSecret(viewer, integration.id);
  return { viewer, integrationId: integration.id, secret };
}

export const sign = (body: string, secret: string) =>
  `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

type DeliveryOptions = {
  secret?: string;
  /** The X-Hub-Signature header as sent; null leaves it out. Default: signed with `secret`. */
  signature?: string | null;
  /** X-Atlassian-Webhook-Identifier; null leaves it out. Default: a new one. */
  identifier?: string | null;
  /** An Authorization header (dynamic webhooks: `Bearer <JWT>`). */
  authorization?: string;
};

/** Calls the route handler as Next would, with a signed Jira delivery. */
export async function deliver(integrationId: string, payload: unknown, options: DeliveryOptions = {}) {
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  const signature =
    options.signature !== undefined ? options.signature : options.secret ? sign(body, options.secret) : null;
  const identifier = options.identifier !== undefined ? options.identifier : randomUUID();
  const headers = new Headers({ "Content-Type": "application/json" });
  if (signature !== null) headers.set("X-Hub-Signature", signature);
  if (identifier !== null) headers.set("X-Atlassian-Webhook-Identifier", identifier);
  if (options.authorization !== undefined) headers.set("Authorization", options.authorization);
  const request = new Request(`http://localhost/api/webhooks/jira/${integrationId}`, {
    method: "POST",
    headers,
    body,
  });
  const response = await POST(request, { params: Promise.resolve({ integrationId }) });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

/**
 * A loopback HTTP server that hands every request to the route handler, as the app's server
 * would: what the sandbox delivers there is received exactly like a real delivery.
 */
export async function startReceiver(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const integrationId = decodeURIComponent(req.url?.split("/").pop() ?? "");
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === "string") headers.set(name, value);
      }
      const request = new Request(`http://localhost${req.url}`, {
        method: req.method,
        headers,
        body: Buffer.concat(chunks),
      });
      POST(request, { params: Promise.resolve({ integrationId }) })
        .then(async (response) => {
          res.writeHead(response.status, { "Content-Type": "application/json" });
          res.end(await response.text());
        })
        .catch(() => res.writeHead(500).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/webhooks/jira`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Runs the job of every event of the integration still waiting, oldest first. */
export async function processEvents(integrationId: string, organizationId: string) {
  const waiting = await db.webhookEvent.findMany({
    where: { integrationId, organizationId, state: "RECEIVED" },
    orderBy: { receivedAt: "asc" },
    select: { id: true },
  });
  for (const { id } of waiting) await runWebhookEventJob(id);
  return db.webhookEvent.findMany({
    where: { integrationId, organizationId },
    orderBy: { receivedAt: "asc" },
  });
}

/** Jobs queued (in any state) for a stored event. */
export async function jobsFor(webhookEventId: string): Promise<number> {
  const [row] = await db.$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS count FROM pgboss.job
    WHERE name = 'webhook-event.process' AND data->>'webhookEventId' = ${webhookEventId}`;
  return row?.count ?? 0;
}

/** ACME's cloud id in the sandbox. */
export const ACME_CLOUD_ID = "3f6a8b2c-1d4e-4f5a-9b6c-7d8e9f0a1b2c";

export type ConnectedOAuthJira = { viewer: Viewer; integrationId: string; accessToken: string };

/**
 * A new organization with an ACTIVE Jira integration through the owner's Atlassian grant (Grace's
 * sandbox identity; the stored account id is unique to the test). Activation registers its
 * dynamic webhook, at the app's default address.
 */
export async function connectOAuthJira(): Promise<ConnectedOAuthJira> {
  const session = await createMember("OWNER");
  const viewer: Viewer = { userId: session.user.id, organizationId: session.organization!.id, role: "OWNER" };
  const tokens = await linkAtlassianGrant(viewer.userId, GRACE);
  const integration = await createIntegration(viewer, {
    provider: "jira",
    mode: "cloud_oauth",
    name: unique("Jira OAuth"),
    config: {
      cloudId: ACME_CLOUD_ID,
      siteUrl: `${sandboxUrl()}/site/${SITE}`,
      siteName: SITE,
      projectKey: "DEMO",
      defaultIssueType: "Task",
    },
    credentials: {},
  });
  const result = await testIntegration(viewer, { id: integration.id });
  if (result.newStatus !== "ACTIVE") throw new Error(`the OAuth integration is ${result.newStatus}`);
  return { viewer, integrationId: integration.id, accessToken: tokens.access_token };
}

/** The dynamic webhooks the app registered on acme-demo, as Jira lists them to it. */
export async function registeredWebhooks(accessToken: string) {
  const { body } = await call<{ values: { id: number; url: string; expirationDate: number }[] }>(
    sandboxUrl(),
    `/ex/jira/${ACME_CLOUD_ID}/rest/api/3/webhook`,
    { auth: `Bearer ${accessToken}` },
  );
  return body.values;
}

/** Calls the sandbox's Jira REST API on acme-demo as Ada. */
export const jira = (path: string, init?: Parameters<typeof call>[2]) =>
  call(sandboxUrl(), `/site/${SITE}/rest/api/3${path}`, init);

export const adf = (text: string) => ({
  type: "doc",
  version: 1,
  content: [{ type: "paragraph", content: [{ type: "text", text }] }],
});

type IssueRef = { id: string; key: string };

/** A Jira-shaped `jira:issue_updated` payload (REST v2 shapes, as Jira sends them). */
export function issueUpdated(
  issue: IssueRef,
  items: {
    field: string;
    from?: string | null;
    fromString?: string | null;
    to: string | null;
    toString: string | null;
  }[],
  fields: Record<string, unknown> = {},
) {
  return {
    timestamp: Date.now(),
    webhookEvent: "jira:issue_updated",
    issue_event_type_name: "issue_generic",
    user: { accountId: ADA.accountId, displayName: ADA.displayName },
    issue: { ...issue, fields: { summary: "Summary", ...fields } },
    changelog: {
      id: String(Date.now()),
      items: items.map((item) => ({
        fieldtype: "jira",
        fieldId: item.field,
        from: null,
        fromString: null,
        ...item,
      })),
    },
  };
}

export const statusField = (name: string, category: "new" | "indeterminate" | "done") => ({
  status: { name, statusCategory: { key: category } },
});

export function commentCreated(
  issue: IssueRef,
  comment: { id: string; body: string; accountId?: string; name?: string; restricted?: boolean },
) {
  return {
    timestamp: Date.now(),
    webhookEvent: "comment_created",
    issue: { ...issue, fields: { summary: "Summary" } },
    comment: {
      id: comment.id,
      body: comment.body,
      author: { accountId: comment.accountId ?? ADA.accountId, displayName: comment.name ?? ADA.displayName },
      ...(comment.restricted ? { visibility: { type: "role", value: "Administrators" } } : {}),
      jsdPublic: true,
    },
  };
}

/** A ticket filed with its Jira issue created, and what links them. */
export async function ticketWithIssue(jiraSide: ConnectedJira) {
  const { ticket, integrationResult } = await createTicket(jiraSide.viewer, {
    title: unique("Synced ticket"),
    category: "general",
    priority: "medium",
    integrationId: jiraSide.integrationId,
  });
  expect(integrationResult?.success).toBe(true);
  const link = await db.externalIssue.findUniqueOrThrow({
    where: { id: integrationResult!.externalIssueId },
  });
  return { ticketId: ticket.id, link, issue: { id: link.externalId!, key: link.externalKey! } };
}
