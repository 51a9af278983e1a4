import { createHmac } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DEFAULT_OAUTH_CLIENT } from "../../../../sandbox/fixtures";
import { signWebhookJwt } from "../../../../sandbox/webhooks";

import { db } from "~/server/db";
import { deleteIntegration, disableIntegration } from "~/server/services/integrations/integrations";
import { refreshDynamicWebhooks, registerWebhooksForViewer } from "~/server/services/sync/dynamic-webhooks";
import { createTicket } from "~/server/services/tickets/tickets";
import { sandboxAdmin, sandboxUrl } from "~/test/atlassian";
import { setupTestDatabase, unique } from "~/test/db";

import { webhookSetup } from "./webhook-setup";
import {
  connectJira,
  connectOAuthJira,
  deliver,
  issueUpdated,
  jira,
  processEvents,
  registeredWebhooks,
  SITE,
  startReceiver,
  type ConnectedOAuthJira,
} from "./test-support";

setupTestDatabase();

const DAY = 24 * 60 * 60 * 1000;
const ISSUE = { id: "990002", key: "DEMO-990002" };
const payload = () => issueUpdated(ISSUE, [{ field: "summary", to: null, toString: "Renamed" }]);
const siteUrl = () => `${sandboxUrl()}/site/${SITE}`;
const validJwt = () => signWebhookJwt(DEFAULT_OAUTH_CLIENT, siteUrl(), Date.now());

/** A JWT with any header and claims, HMAC-signed with `secret` for the given algorithm. */
function craftJwt(
  header: object,
  claims: object,
  secret = DEFAULT_OAUTH_CLIENT.clientSecret,
  hash = "sha256",
) {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const signed = `${encode(header)}.${encode(claims)}`;
  return `${signed}.${createHmac(hash, secret).update(signed).digest("base64url")}`;
}
const claims = (overrides: object = {}) => {
  const iat = Math.floor(Date.now() / 1000);
  return {
    iss: siteUrl(),
    aud: DEFAULT_OAUTH_CLIENT.clientId,
    sub: "jira-webhook",
    iat,
    exp: iat + 300,
    ...overrides,
  };
};

const storedEvents = (integrationId: string, organizationId: string) =>
  db.webhookEvent.findMany({ where: { integrationId, organizationId } });

let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
});
const receiverBase = () => new URL(receiver.url).origin;

describe("deliveries of dynamic webhooks are verified by their JWT", () => {
  let oauth: ConnectedOAuthJira;
  beforeAll(async () => {
    oauth = await connectOAuthJira();
  }, 30_000);

  it("accepts a JWT signed with the app's client secret, as the sandbox sends it", async () => {
    const reply = await deliver(oauth.integrationId, payload(), { authorization: `Bearer ${validJwt()}` });
    expect(reply).toMatchObject({ status: 200, body: { received: true } });
    const [event] = await storedEvents(oauth.integrationId, oauth.viewer.organizationId);
    expect(event).toMatchObject({ verifiedBy: "jwt", state: "RECEIVED" });
  });

  it("refuses bad, expired, unsigned, other-algorithm, foreign-site and missing tokens with 401", async () => {
    const fresh = await connectOAuthJira();
    const attempts = {
      "bad signature": craftJwt({ alg: "HS256", typ: "JWT" }, claims(), "someone-elses-secret"),
      expired: signWebhookJwt(DEFAULT_OAUTH_CLIENT, siteUrl(), Date.now() - 10 * 60_000),
      "alg none": `${craftJwt({ alg: "none", typ: "JWT" }, claims()).split(".").slice(0, 2).join(".")}.`,
      "alg HS512": craftJwt({ alg: "HS512", typ: "JWT" }, claims(), undefined, "sha512"),
      "another site": craftJwt(
        { alg: "HS256", typ: "JWT" },
        claims({ iss: `${sandboxUrl()}/site/globex-demo` }),
      ),
      "another app": craftJwt({ alg: "HS256", typ: "JWT" }, claims({ aud: "some-other-app" })),
      "no exp": craftJwt({ alg: "HS256", typ: "JWT" }, claims({ exp: undefined })),
      "not a JWT": "definitely-not-a-jwt",
    };
    for (const [name, token] of Object.entries(attempts)) {
      const reply = await deliver(fresh.integrationId, payload(), { authorization: `Bearer ${token}` });
      expect(reply.status, name).toBe(401);
    }
    const missing = await deliver(fresh.integrationId, payload(), { signature: null });
    expect(missing.status).toBe(401);
    expect(await storedEvents(fresh.integrationId, fresh.viewer.organizationId)).toEqual([]);
    const integration = await db.integration.findUniqueOrThrow({ where: { id: fresh.integrationId } });
    expect(integration.lastWebhookAt).toBeNull();
  });

  it("refuses a valid JWT for an integration that does not connect through OAuth", async () => {
    const { viewer, integrationId } = await connectJira();
    const reply = await deliver(integrationId, payload(), { authorization: `Bearer ${validJwt()}` });
    expect(reply.status).toBe(401);
    expect(await storedEvents(integrationId, viewer.organizationId)).toEqual([]);
  });
});

describe("dynamic webhooks of OAuth integrations", () => {
  it("are registered on activation and again on request; Jira's JWT-signed deliveries are applied", async () => {
    const oauth = await connectOAuthJira();
    const activated = await db.integration.findUniqueOrThrow({ where: { id: oauth.integrationId } });
    expect(activated.dynamicWebhookIds).toHaveLength(1);
    expect(activated.dynamicWebhooksExpireAt!.getTime()).toBeGreaterThan(Date.now() + 29 * DAY);

    // Registering again, at the address the sandbox can reach, replaces the first webhook.
    const { expiresAt } = await registerWebhooksForViewer(oauth.viewer, oauth.integrationId, {
      baseUrl: receiverBase(),
    });
    const registered = await db.integration.findUniqueOrThrow({ where: { id: oauth.integrationId } });
    expect(registered.dynamicWebhookIds).toHaveLength(1);
    expect(registered.dynamicWebhookIds[0]).not.toBe(activated.dynamicWebhookIds[0]);
    expect(registered.dynamicWebhooksExpireAt).toEqual(expiresAt);
    const audit = await db.auditEvent.findFirst({
      where: { entityId: oauth.integrationId, action: "integration.webhooks_registered" },
      orderBy: { createdAt: "desc" },
    });
    const day = expiresAt.toLocaleDateString("en-GB", { dateStyle: "long", timeZone: "UTC" });
    expect(audit?.reason).toBe(
      `Jira sends changes of ${registered.name} automatically; the webhook expires on ${day} (UTC)`,
    );
    expect(await webhookSetup(oauth.viewer, oauth.integrationId)).toMatchObject({
      dynamic: { registered: true, expiresAt },
    });
    const inJira = await registeredWebhooks(oauth.accessToken);
    expect(inJira.map((webhook) => webhook.id)).toContain(registered.dynamicWebhookIds[0]);
    expect(inJira.map((webhook) => webhook.id)).not.toContain(activated.dynamicWebhookIds[0]);
    expect(inJira.find((webhook) => webhook.id === registered.dynamicWebhookIds[0])!.url).toBe(
      `${receiver.url}/${oauth.integrationId}`,
    );

    const { ticket, integrationResult } = await createTicket(oauth.viewer, {
      title: unique("Dynamic webhook ticket"),
      category: "general",
      priority: "medium",
      integrationId: oauth.integrationId,
    });
    expect(integrationResult?.success).toBe(true);
    const link = await db.externalIssue.findUniqueOrThrow({
      where: { id: integrationResult!.externalIssueId },
    });

    const moved = await jira(`/issue/${link.externalKey}/transitions`, {
      body: { transition: { id: "21" } },
    });
    expect(moved.status).toBe(204);
    await sandboxAdmin("/webhooks/deliveries"); // waits until the sandbox delivered
    const events = await processEvents(oauth.integrationId, oauth.viewer.organizationId);
    const ours = events.find((event) => event.state === "PROCESSED");
    expect(ours).toMatchObject({ verifiedBy: "jwt", event: "jira:issue_updated" });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).status).toBe("IN_PROGRESS");
  }, 30_000);

  it("the daily refresh extends webhooks that expire within a week", async () => {
    const oauth = await connectOAuthJira();
    const soon = new Date(Date.now() + 2 * DAY);
    await db.integration.update({
      where: { id: oauth.integrationId },
      data: { dynamicWebhooksExpireAt: soon },
    });
    const results = await refreshDynamicWebhooks({ integrationIds: [oauth.integrationId] });
    expect(results[oauth.integrationId]).toBe("refreshed");
    const refreshed = await db.integration.findUniqueOrThrow({ where: { id: oauth.integrationId } });
    expect(refreshed.dynamicWebhooksExpireAt!.getTime()).toBeGreaterThan(Date.now() + 29 * DAY);

    // Far from expiry: left alone.
    expect(await refreshDynamicWebhooks({ integrationIds: [oauth.integrationId] })).toEqual({});
  });

  it("a failed registration is recorded in the audit trail and leaves polling in charge", async () => {
    const oauth = await connectOAuthJira();
    // The sandbox only delivers to loopback addresses, so it refuses this one.
    await expect(
      registerWebhooksForViewer(oauth.viewer, oauth.integrationId, {
        baseUrl: "https://tickets.example.com",
      }),
    ).rejects.toThrow(/fetched every 5 minutes/);
    const integration = await db.integration.findUniqueOrThrow({ where: { id: oauth.integrationId } });
    expect(integration).toMatchObject({
      dynamicWebhookIds: [],
      dynamicWebhooksExpireAt: null,
      status: "ACTIVE",
    });
    const audit = await db.auditEvent.findFirst({
      where: { entityId: oauth.integrationId, action: "integration.webhooks_failed" },
    });
    expect(audit?.reason).toMatch(/Registering the Jira webhooks/);
  });

  it("disabling or deleting the integration deletes its webhooks in Jira", async () => {
    const oauth = await connectOAuthJira();
    const [id] = (await db.integration.findUniqueOrThrow({ where: { id: oauth.integrationId } }))
      .dynamicWebhookIds;
    expect((await registeredWebhooks(oauth.accessToken)).map((webhook) => webhook.id)).toContain(id);
    await disableIntegration(oauth.viewer, oauth.integrationId);
    expect((await registeredWebhooks(oauth.accessToken)).map((webhook) => webhook.id)).not.toContain(id);
    expect(
      (await db.integration.findUniqueOrThrow({ where: { id: oauth.integrationId } })).dynamicWebhookIds,
    ).toEqual([]);

    const other = await connectOAuthJira();
    const [otherId] = (await db.integration.findUniqueOrThrow({ where: { id: other.integrationId } }))
      .dynamicWebhookIds;
    await deleteIntegration(other.viewer, other.integrationId);
    expect((await registeredWebhooks(other.accessToken)).map((webhook) => webhook.id)).not.toContain(otherId);
  });
});
