import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";

import { createMember, setupTestDatabase } from "~/test/db";

import { createCaller } from "./root";
import { createTRPCContext } from "./trpc";

setupTestDatabase();

const callerFor = async (session: Awaited<ReturnType<typeof createMember>> | null) =>
  createCaller(await createTRPCContext({ headers: new Headers(), session }));

async function rejection(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

describe("procedure guards", () => {
  it("rejects a caller without a session with UNAUTHORIZED", async () => {
    const caller = await callerFor(null);
    const error = await rejection(caller.organization.current());
    expect(error.code).toBe("UNAUTHORIZED");
    expect(error.message).toBe("Sign in to continue.");
  });

  it("rejects a signed-in user without an organization with FORBIDDEN", async () => {
    const session = await createMember("OWNER");
    const caller = await callerFor({ ...session, organization: null, role: null });
    expect((await rejection(caller.organization.current())).code).toBe("FORBIDDEN");
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
      const error = await rejection((await callerFor(await createMember(role))).organization.auditLog({}));
      expect(error.code).toBe("FORBIDDEN");
      expect(error.message).toContain(`Your role is ${role}`);
    }
  });

  it("answers bad input with BAD_REQUEST and field messages", async () => {
    const caller = await callerFor(await createMember("OWNER"));
    const error = await rejection(caller.organization.auditLog({ limit: 1000 }));
    expect(error.code).toBe("BAD_REQUEST");
  });
});
