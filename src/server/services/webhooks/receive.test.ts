import { randomUUID } from "node:crypto";

import { describe, expect, it } from "vitest";

import { db } from "~/server/db";
import { checkRateLimit } from "~/server/services/rate-limit/rate-limit";
import { roomInWindow } from "~/server/services/rate-limit/test-support";
import { setupTestDatabase } from "~/test/db";

import { MAX_WEBHOOK_AGE_MS, MAX_WEBHOOK_BYTES } from "./receive";
import { connectJira, deliver, issueUpdated, jobsFor, sign } from "./test-support";
import { rotateWebhookSecret } from "./webhook-setup";

setupTestDatabase();

const ISSUE = { id: "990001", key: "DEMO-990001" };
const payload = () => issueUpdated(ISSUE, [{ field: "summary", to: null, toString: "Renamed" }]);

const storedEvents = (integrationId: string, organizationId: string) =>
  db.webhookEvent.findMany({ where: { integrationId, organizationId } });

describe("the Jira webhook route verifies the signature before storing anything", () => {
  it("stores and queues a correctly signed delivery, and notes when it arrived", async () => {
    const { viewer, integrationId, secret } = await connectJira();
    const identifier = randomUUID();
    const reply = await deliver(integrationId, payload(), { secret, identifier });
    expect(reply).toMatchObject({ status: 200, body: { received: true } });

    const [event] = await storedEvents(integrationId, viewer.organizationId);
    expect(event).toMatchObject({
      organizationId: viewer.organizationId,
      dedupeKey: identifier,
      event: "jira:issue_updated",
      verifiedBy: "hmac",
      state: "RECEIVED",
      payload: { issue: { key: ISSUE.key } },
    });
    expect(await jobsFor(event!.id)).toBe(1);
    const integration = await db.integration.findUniqueOrThrow({ where: { id: integrationId } });
    expect(integration.lastWebhookAt).toBeInstanceOf(Date);
  });

  it("refuses a bad, missing or foreign signature and a tampered body with 401, storing nothing", async () => {
    const { viewer, integrationId, secret } = await connectJira();
    const body = JSON.stringify(payload());
    const attempts = [
      { name: "bad signature", body, signature: `sha256=${"ab".repeat(32)}` },
      { name: "missing signature", body, signature: null },
      { name: "not sha256=", body, signature: sign(body, secret).replace("sha256=", "") },
      { name: "another secret", body, signature: sign(body, "someone-elses-secret") },
      { name: "tampered body", body: body.replace("Renamed", "Hijacked"), signature: sign(body, secret) },
    ];
    for (const attempt of attempts) {
      const reply = await deliver(integrationId, attempt.body, { signature: attempt.signature });
      expect(reply.status, attempt.name).toBe(401);
      expect(reply.body.error, attempt.name).toEqual(expect.any(String));
    }
    expect(await storedEvents(integrationId, viewer.organizationId)).toEqual([]);
    const integration = await db.integration.findUniqueOrThrow({ where: { id: integrationId } });
    expect(integration.lastWebhookAt).toBeNull();
  });

  it("answers an unknown, deleted or secretless integration exactly like a bad signature", async () => {
    const { integrationId, secret } = await connectJira();
    const unknown = await deliver(`no-such-${randomUUID()}`, payload(), { secret });
    const bad = await deliver(integrationId, payload(), { signature: sign("x", secret) });
    expect(unknown).toMatchObject({ status: 401, body: bad.body });

    const secretless = await connectJira();
    await db.integration.update({
      where: { id: secretless.integrationId },
      data: { webhookSecretSealed: null },
    });
    expect((await deliver(secretless.integrationId, payload(), { secret: secretless.secret })).status).toBe(
      401,
    );

    const deleted = await connectJira();
    await db.integration.update({ where: { id: deleted.integrationId }, data: { deletedAt: new Date() } });
    expect((await deliver(deleted.integrationId, payload(), { secret: deleted.secret })).status).toBe(401);
  });

  it("refuses the old secret once it is rotated", async () => {
    const { viewer, integrationId, secret } = await connectJira();
    const rotated = await rotateWebhookSecret(viewer, integrationId);
    expect((await deliver(integrationId, payload(), { secret })).status).toBe(401);
    expect((await deliver(integrationId, payload(), { secret: rotated.secret })).status).toBe(200);
  });

  it("refuses a body over 1 MB with 413", async () => {
    const { viewer, integrationId, secret } = await connectJira();
    const big = JSON.stringify({ ...payload(), padding: "x".repeat(MAX_WEBHOOK_BYTES) });
    const reply = await deliver(integrationId, big, { secret });
    expect(reply.status).toBe(413);
    expect(await storedEvents(integrationId, viewer.organizationId)).toEqual([]);
  });
});

describe("deliveries are stored once", () => {
  it("takes Jira's retry of a delivery (same identifier) as a duplicate: one event, one job", async () => {
    const { viewer, integrationId, secret } = await connectJira();
    const identifier = randomUUID();
    const body = payload();
    expect((await deliver(integrationId, body, { secret, identifier })).body).toEqual({ received: true });
    expect(await deliver(integrationId, body, { secret, identifier })).toMatchObject({
      status: 200,
      body: { duplicate: true },
    });
    const events = await storedEvents(integrationId, viewer.organizationId);
    expect(events).toHaveLength(1);
    expect(await jobsFor(events[0]!.id)).toBe(1);
  });

  it("dedupes by the body's hash when Jira sends no identifier", async () => {
    const { viewer, integrationId, secret } = await connectJira();
    const body = JSON.stringify(payload());
    await deliver(integrationId, body, { secret, identifier: null });
    expect((await deliver(integrationId, body, { secret, identifier: null })).body).toEqual({
      duplicate: true,
    });
    const events = await storedEvents(integrationId, viewer.organizationId);
    expect(events).toHaveLength(1);
    expect(events[0]!.dedupeKey).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("refuses a signed delivery older than 24 hours (a replay) with 401, storing nothing", async () => {
    const { viewer, integrationId, secret } = await connectJira();
    const old = { ...payload(), timestamp: Date.now() - MAX_WEBHOOK_AGE_MS - 60_000 };
    const reply = await deliver(integrationId, old, { secret });
    expect(reply.status).toBe(401);
    expect(reply.body.error).toMatch(/24 hours/);
    expect(await storedEvents(integrationId, viewer.organizationId)).toEqual([]);
  });

  it("keeps signed but malformed JSON as IGNORED with the reason, and queues nothing", async () => {
    const { viewer, integrationId, secret } = await connectJira();
    const reply = await deliver(integrationId, "{ not json", { secret });
    expect(reply).toMatchObject({ status: 200, body: { ignored: "the body is not valid JSON" } });
    const [event] = await storedEvents(integrationId, viewer.organizationId);
    expect(event).toMatchObject({ state: "IGNORED", outcome: expect.stringMatching(/not valid JSON/) });
    expect(event!.processedAt).toBeInstanceOf(Date);
    expect(await jobsFor(event!.id)).toBe(0);
  });

  it("answers 429 with Retry-After past 100 deliveries a minute", async () => {
    const { viewer, integrationId, secret } = await connectJira();
    await roomInWindow(60, 15);
    for (let count = 0; count < 100; count++) {
      await checkRateLimit({ key: `webhook:${integrationId}`, limit: 100, windowSeconds: 60 });
    }
    const reply = await deliver(integrationId, payload(), { secret });
    expect(reply.status).toBe(429);
    expect(Number(reply.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await storedEvents(integrationId, viewer.organizationId)).toEqual([]);
  });
});
