import { describe, expect, it } from "vitest";

import { db } from "~/server/db";
import { createMember, setupTestDatabase, unique } from "~/test/db";

import { createCaller } from "./root";
import { createTRPCContext } from "./trpc";
import { trpcRejection } from "~/test/rejections";

setupTestDatabase();

const callerFor = async (session: Awaited<ReturnType<typeof createMember>> | null) =>
  createCaller(await createTRPCContext({ headers: new Headers(), session }));

describe("procedure guards", () => {
  it("rejects a caller without a session with UNAUTHORIZED", async () => {
    const caller = await callerFor(null);
    const error = await trpcRejection(caller.organization.current());
    expect(error.code).toBe("UNAUTHORIZED");
    expect(error.message).toBe("Sign in to continue.");
  });

  it("rejects a signed-in user without an organization with FORBIDDEN", async () => {
    const session = await createMember("OWNER");
    const caller = await callerFor({ ...session, organization: null, role: null });
    expect((await trpcRejection(caller.organization.current())).code).toBe("FORBIDDEN");
  });

  it("lets every member read their organization, scoped to it", async () => {
    for (const role of ["OWNER", "ADMIN", "AGENT", "CUSTOMER"] as const) {
      const session = await createMember(role);
      const organization = await (await callerFor(session)).organization.current();
      expect(organization.id).toBe(session.organization!.id);
      expect(organization.viewerRole).toBe(role);
      expect(organization.memberships).toHaveLength(1);
    }
  });

  it("lets only owners and admins read the audit log", async () => {
    for (const role of ["OWNER", "ADMIN"] as const) {
      const result = await (await callerFor(await createMember(role))).organization.auditLog({});
      expect(result.items).toEqual([]);
    }
    for (const role of ["AGENT", "CUSTOMER"] as const) {
      const error = await trpcRejection(
        (await callerFor(await createMember(role))).organization.auditLog({}),
      );
      expect(error.code).toBe("FORBIDDEN");
      expect(error.message).toContain(`Your role is ${role}`);
    }
  });

  it("answers bad input with BAD_REQUEST and field messages", async () => {
    const caller = await callerFor(await createMember("OWNER"));
    const error = await trpcRejection(caller.organization.auditLog({ limit: 1000 }));
    expect(error.code).toBe("BAD_REQUEST");
  });
});

describe("session from the request's cookie", () => {
  async function signedIn(expiresInMs = 3_600_000) {
    const member = await createMember("AGENT");
    const sessionToken = unique("token");
    await db.session.create({
      data: { sessionToken, userId: member.user.id, expires: new Date(Date.now() + expiresInMs) },
    });
    return { member, sessionToken };
  }
  const contextWith = (headers: Record<string, string>) =>
    createTRPCContext({ headers: new Headers(headers) });

  it("reads the Auth.js session cookie and answers as the member", async () => {
    const { member, sessionToken } = await signedIn();
    const { session } = await contextWith({ cookie: `other=1; authjs.session-token=${sessionToken}` });
    expect(session).toMatchObject({
      user: { id: member.user.id },
      organization: member.organization,
      role: "AGENT",
    });
    expect(JSON.stringify(session)).not.toContain(sessionToken);
  });

  it("uses the __Secure- cookie behind https, and only that one", async () => {
    const { sessionToken } = await signedIn();
    const https = { "x-forwarded-proto": "https" };
    expect(
      (await contextWith({ ...https, cookie: `__Secure-authjs.session-token=${sessionToken}` })).session,
    ).not.toBeNull();
    expect(
      (await contextWith({ ...https, cookie: `authjs.session-token=${sessionToken}` })).session,
    ).toBeNull();
  });

  it("refuses an expired or unknown session", async () => {
    const { sessionToken } = await signedIn(-1_000);
    expect((await contextWith({ cookie: `authjs.session-token=${sessionToken}` })).session).toBeNull();
    expect((await contextWith({ cookie: `authjs.session-token=${unique("nope")}` })).session).toBeNull();
    expect((await contextWith({})).session).toBeNull();
  });
});
