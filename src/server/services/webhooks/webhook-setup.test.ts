import { TRPCError } from "@trpc/server";
import type { Session } from "next-auth";
import { afterEach, describe, expect, it } from "vitest";

import { createCaller } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { db } from "~/server/db";
import { createMember, setupTestDatabase, unique } from "~/test/db";

import { connectJira } from "./test-support";

setupTestDatabase();

const callerFor = async (session: Session, headers = new Headers()) =>
  createCaller(await createTRPCContext({ headers, session }));

/** The owner's session of a connected integration's organization. */
async function ownerOf(viewer: { userId: string; organizationId: string }): Promise<Session> {
  const user = await db.user.findUniqueOrThrow({ where: { id: viewer.userId } });
  const organization = await db.organization.findUniqueOrThrow({ where: { id: viewer.organizationId } });
  return {
    user: { id: user.id, name: user.name, email: user.email },
    organization: { id: organization.id, name: organization.name, slug: organization.slug },
    role: "OWNER",
    expires: new Date(Date.now() + 3_600_000).toISOString(),
  };
}

async function rejectionCode(run: () => Promise<unknown>) {
  const error = await run().then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return (error as TRPCError).code;
}

const savedAuthUrl = process.env.AUTH_URL;
afterEach(() => {
  if (savedAuthUrl === undefined) delete process.env.AUTH_URL;
  else process.env.AUTH_URL = savedAuthUrl;
});

describe("webhook setup procedures", () => {
  it("give the URL and events, and a new secret only once; the secret is sealed and never audited", async () => {
    delete process.env.AUTH_URL;
    const { viewer, integrationId } = await connectJira();
    const caller = await callerFor(await ownerOf(viewer), new Headers({ host: "tickets.local:3000" }));

    const rotated = await caller.integration.rotateWebhookSecret({ id: integrationId });
    expect(rotated.url).toBe(`http://tickets.local:3000/api/webhooks/jira/${integrationId}`);
    expect(rotated.secret).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url

    const setup = await caller.integration.webhookSetup({ id: integrationId });
    expect(setup).toEqual({
      url: rotated.url,
      hasSecret: true,
      lastWebhookAt: null,
      lastPolledAt: null,
      events: ["jira:issue_created", "jira:issue_updated", "comment_created"],
      // An API-token connection: an admin webhook, not one the app registers itself.
      dynamic: null,
    });
    expect(JSON.stringify(setup)).not.toContain(rotated.secret);
    expect(JSON.stringify(await caller.integration.get({ id: integrationId }))).not.toContain(rotated.secret);

    const stored = await db.integration.findUniqueOrThrow({ where: { id: integrationId } });
    expect(stored.webhookSecretSealed).toMatch(/^tb1\./);
    expect(stored.webhookSecretSealed).not.toContain(rotated.secret);
    const audits = await db.auditEvent.findMany({
      where: { organizationId: viewer.organizationId, action: "integration.webhook_secret_rotated" },
    });
    expect(audits.length).toBeGreaterThan(0);
    expect(JSON.stringify(audits)).not.toContain(rotated.secret);
    expect(audits.every((audit) => audit.actorId === viewer.userId && audit.entityId === integrationId)).toBe(
      true,
    );

    const again = await caller.integration.rotateWebhookSecret({ id: integrationId });
    expect(again.secret).not.toBe(rotated.secret);
  });

  it("take the public address from AUTH_URL when it is set", async () => {
    process.env.AUTH_URL = "https://tickets.example.com/api/auth";
    const { viewer, integrationId } = await connectJira();
    const caller = await callerFor(await ownerOf(viewer), new Headers({ host: "internal:3000" }));
    expect((await caller.integration.webhookSetup({ id: integrationId })).url).toBe(
      `https://tickets.example.com/api/webhooks/jira/${integrationId}`,
    );
  });

  it("refuse another organization's admin (NOT_FOUND) and agents (FORBIDDEN)", async () => {
    const { viewer, integrationId } = await connectJira();
    const outsider = await callerFor(await createMember("OWNER"));
    expect(await rejectionCode(() => outsider.integration.webhookSetup({ id: integrationId }))).toBe(
      "NOT_FOUND",
    );
    expect(await rejectionCode(() => outsider.integration.rotateWebhookSecret({ id: integrationId }))).toBe(
      "NOT_FOUND",
    );

    const name = unique("agent");
    const agentUser = await db.user.create({ data: { name, email: `${name}@example.test` } });
    await db.membership.create({
      data: { organizationId: viewer.organizationId, userId: agentUser.id, role: "AGENT" },
    });
    const agent = await callerFor({
      ...(await ownerOf(viewer)),
      user: { id: agentUser.id, name, email: agentUser.email },
      role: "AGENT",
    });
    expect(await rejectionCode(() => agent.integration.rotateWebhookSecret({ id: integrationId }))).toBe(
      "FORBIDDEN",
    );
    const stored = await db.integration.findUniqueOrThrow({ where: { id: integrationId } });
    const before = stored.webhookSecretSealed;
    expect(await rejectionCode(() => outsider.integration.rotateWebhookSecret({ id: integrationId }))).toBe(
      "NOT_FOUND",
    );
    expect(
      (await db.integration.findUniqueOrThrow({ where: { id: integrationId } })).webhookSecretSealed,
    ).toBe(before);
  });
});
