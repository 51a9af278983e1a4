import { describe, expect, it } from "vitest";

import { db } from "~/server/db";
import { createMember, setupTestDatabase, unique } from "~/test/db";

import { createCaller } from "./root";
import { createTRPCContext, MAX_TRPC_BODY_BYTES } from "./trpc";
import { trpcRejection } from "~/test/rejections";
import { serveTrpcOverHttp } from "~/test/trpc-http";

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

describe("over HTTP (the /api/trpc route's options)", () => {
  const trpcServer = serveTrpcOverHttp();
  async function cookieFor(role: "OWNER" | "AGENT") {
    const member = await createMember(role);
    const sessionToken = unique("token");
    await db.session.create({
      data: { sessionToken, userId: member.user.id, expires: new Date(Date.now() + 3_600_000) },
    });
    return { member, cookie: `authjs.session-token=${sessionToken}` };
  }

  it("answers as the member whose session cookie came with the request", async () => {
    const { member, cookie } = await cookieFor("AGENT");
    const response = await fetch(trpcServer.url("organization.current"), { headers: { cookie } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      result: { data: { json: { id: string; viewerRole: string } } };
    };
    expect(body.result.data.json).toMatchObject({ id: member.organization!.id, viewerRole: "AGENT" });
  });

  it("marks a mutation's answer not to be cached or compressed, and leaves a query's alone", async () => {
    const { cookie } = await cookieFor("AGENT");
    const created = await fetch(trpcServer.url("ticket.create"), {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({ json: { title: "Printer jam", category: "general", priority: "low" } }),
    });
    expect(created.status).toBe(200);
    expect(created.headers.get("cache-control")).toBe("no-store, no-transform");

    const read = await fetch(trpcServer.url("organization.current"), { headers: { cookie } });
    expect(read.status).toBe(200);
    expect(read.headers.get("cache-control")).toBeNull();
  });

  it("refuses a body over 1 MB with 413 and a message, and writes nothing", async () => {
    const { member, cookie } = await cookieFor("OWNER");
    const description = "x".repeat(MAX_TRPC_BODY_BYTES);
    const response = await fetch(trpcServer.url("ticket.create"), {
      method: "POST",
      headers: { cookie, "content-type": "application/json" },
      body: JSON.stringify({
        json: { title: "Too long", description, category: "general", priority: "low" },
      }),
    });
    expect(response.status).toBe(413);
    const body = (await response.json()) as { error: { json: { message: string; data: { code: string } } } };
    expect(body.error.json.data.code).toBe("PAYLOAD_TOO_LARGE");
    expect(body.error.json.message).toBe(
      "This request is larger than 1 MB. Shorten the text and send it again.",
    );
    expect(await db.ticket.count({ where: { organizationId: member.organization!.id } })).toBe(0);
  });
});
