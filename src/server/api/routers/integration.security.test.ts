import { TRPCError } from "@trpc/server";
import type { Session } from "next-auth";
import { describe, expect, it } from "vitest";

import { ADA } from "../../../../sandbox/test-helpers";

import type { Role } from "~/generated/prisma/client";
import { db } from "~/server/db";
import { sandboxUrl } from "~/test/atlassian";
import { createMember, setupTestDatabase, unique } from "~/test/db";

import { createCaller } from "../root";
import { createTRPCContext } from "../trpc";

setupTestDatabase();

const callerFor = async (session: Session) =>
  createCaller(await createTRPCContext({ headers: new Headers(), session }));

/** A second member of the same organization, with another role. */
async function colleague(owner: Session, role: Role): Promise<Session> {
  const name = unique(role.toLowerCase());
  const user = await db.user.create({ data: { name, email: `${name}@example.test` } });
  await db.membership.create({ data: { organizationId: owner.organization!.id, userId: user.id, role } });
  return { ...owner, user: { id: user.id, name, email: user.email }, role };
}

async function ownerWithIntegration() {
  const owner = await createMember("OWNER");
  const caller = await callerFor(owner);
  const integration = await caller.integration.create({
    provider: "jira",
    mode: "cloud_api_token",
    name: unique("Jira"),
    config: { baseUrl: `${sandboxUrl()}/site/acme-demo`, projectKey: "DEMO", defaultIssueType: "Task" },
    credentials: { email: ADA.email, apiToken: ADA.apiToken },
  });
  await caller.integration.test({ id: integration.id });
  return { owner, integration };
}

/** Every procedure that names an integration, as an outsider would call it. */
function attempts(caller: Awaited<ReturnType<typeof callerFor>>, id: string) {
  return {
    get: () => caller.integration.get({ id }),
    update: () => caller.integration.update({ id, name: "taken over", credentials: { apiToken: "mine" } }),
    delete: () => caller.integration.delete({ id }),
    test: () => caller.integration.test({ id }),
    enable: () => caller.integration.enable({ id }),
    disable: () => caller.integration.disable({ id }),
    discoverProjects: () =>
      caller.integration.discoverProjects({
        integrationId: id,
        provider: "jira",
        mode: "cloud_api_token",
        config: {},
        credentials: {},
      }),
    verify: () =>
      caller.integration.verify({
        integrationId: id,
        provider: "jira",
        mode: "cloud_api_token",
        config: {},
        credentials: {},
      }),
  };
}

async function expectRejected(run: () => Promise<unknown>, codes: TRPCError["code"][]) {
  const error = await run().then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCError);
  expect(codes).toContain((error as TRPCError).code);
}

describe("integration procedures refuse anyone but the organization's admins", () => {
  it("an admin of another organization gets NOT_FOUND for every procedure, and nothing changes", async () => {
    const { integration } = await ownerWithIntegration();
    const before = await db.integration.findUniqueOrThrow({ where: { id: integration.id } });
    const outsider = await callerFor(await createMember("OWNER"));
    for (const [name, run] of Object.entries(attempts(outsider, integration.id))) {
      await expectRejected(run, ["NOT_FOUND"]).catch((error: unknown) => {
        throw new Error(`${name}: ${String(error)}`);
      });
    }
    expect(await outsider.integration.list()).toEqual([]);
    const after = await db.integration.findUniqueOrThrow({ where: { id: integration.id } });
    expect(after).toEqual(before);
  });

  it("agents and customers of the same organization are FORBIDDEN; agents may list active ones", async () => {
    const { owner, integration } = await ownerWithIntegration();
    const before = await db.integration.findUniqueOrThrow({ where: { id: integration.id } });
    for (const role of ["AGENT", "CUSTOMER"] as const) {
      const caller = await callerFor(await colleague(owner, role));
      for (const run of Object.values(attempts(caller, integration.id)))
        await expectRejected(run, ["FORBIDDEN"]);
      await expectRejected(() => caller.integration.list(), ["FORBIDDEN"]);
      await expectRejected(() => caller.integration.providers(), ["FORBIDDEN"]);
    }
    const agent = await callerFor(await colleague(owner, "AGENT"));
    expect((await agent.integration.listActive({})).map((active) => active.id)).toEqual([integration.id]);
    const customer = await callerFor(await colleague(owner, "CUSTOMER"));
    await expectRejected(() => customer.integration.listActive({}), ["FORBIDDEN"]);
    expect(await db.integration.findUniqueOrThrow({ where: { id: integration.id } })).toEqual(before);
  });

  it("no response carries a stored secret", async () => {
    const { owner, integration } = await ownerWithIntegration();
    const caller = await callerFor(owner);
    const responses = [
      await caller.integration.list(),
      await caller.integration.get({ id: integration.id }),
      await caller.integration.update({ id: integration.id, description: "Main Jira" }),
      await caller.integration.listActive({}),
      await caller.integration.test({ id: integration.id }),
    ];
    for (const response of responses) expect(JSON.stringify(response)).not.toContain(ADA.apiToken);
    const stored = await db.integration.findUniqueOrThrow({ where: { id: integration.id } });
    expect(stored.credentialsSealed).toMatch(/^tb1\./);
    expect(JSON.stringify(stored)).not.toContain(ADA.apiToken);
    const audit = await db.auditEvent.findMany({ where: { entityId: integration.id } });
    expect(JSON.stringify(audit)).not.toContain(ADA.apiToken);
  });

  it("answers bad input with BAD_REQUEST and a message", async () => {
    const caller = await callerFor(await createMember("ADMIN"));
    await expectRejected(
      () =>
        caller.integration.create({
          provider: "jira",
          mode: "cloud_api_token",
          name: " ",
          config: {},
          credentials: {},
        }),
      ["BAD_REQUEST"],
    );
    await expectRejected(
      () =>
        caller.integration.create({ provider: "nope", mode: "x", name: "n", config: {}, credentials: {} }),
      ["BAD_REQUEST"],
    );
    await expectRejected(
      () =>
        caller.integration.create({ provider: "linear", mode: "x", name: "n", config: {}, credentials: {} }),
      ["BAD_REQUEST"],
    );
    const error = await caller.integration
      .create({
        provider: "jira",
        mode: "cloud_api_token",
        name: "n",
        config: { baseUrl: "not a url", projectKey: "DEMO", defaultIssueType: "Task" },
        credentials: { email: ADA.email, apiToken: "x" },
      })
      .catch((caught: unknown) => caught as TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    expect((error as TRPCError).message).toMatch(/baseUrl/);
  });
});
