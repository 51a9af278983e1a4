import { describe, expect, it } from "vitest";

import { db } from "~/server/db";
import { unique, setupTestDatabase } from "~/test/db";

import {
  createUserWithPersonalOrganization,
  findPrimaryMembership,
  linkAccount,
  readAccountTokens,
  storeAccountTokens,
} from "./accounts";

setupTestDatabase();

describe("accounts", () => {
  it("gives a new user a personal organization as OWNER, audited", async () => {
    const email = `${unique("ada")}@example.test`;
    const user = await createUserWithPersonalOrganization({
      email,
      name: "Ada Lovelace",
      emailVerified: null,
    });
    const membership = await findPrimaryMembership(user.id);
    expect(membership?.role).toBe("OWNER");
    expect(membership?.organization.name).toBe("Ada Lovelace's organization");
    const audit = await db.auditEvent.findMany({ where: { organizationId: membership!.organization.id } });
    expect(audit.map((event) => event.action)).toEqual(["organization.created"]);
  });

  it("stores OAuth tokens sealed and opens them for the user", async () => {
    const user = await createUserWithPersonalOrganization({
      email: `${unique("grace")}@example.test`,
      name: "Grace",
      emailVerified: null,
    });
    const providerAccountId = unique("account");
    await linkAccount({
      userId: user.id,
      type: "oauth",
      provider: "atlassian",
      providerAccountId,
      access_token: "plain-access-token-value",
      refresh_token: "plain-refresh-token-value",
      expires_at: 1_900_000_000,
      token_type: "bearer",
      scope: "read:me offline_access",
    });

    const rows = await db.$queryRaw<Record<string, unknown>[]>`
      SELECT * FROM "Account" WHERE "providerAccountId" = ${providerAccountId}`;
    const everyColumn = JSON.stringify(rows);
    expect(everyColumn).not.toContain("plain-access-token-value");
    expect(everyColumn).not.toContain("plain-refresh-token-value");
    expect(rows[0]?.accessTokenSealed).toMatch(/^tb1\./);

    expect(await readAccountTokens(user.id, "atlassian")).toEqual({
      providerAccountId,
      accessToken: "plain-access-token-value",
      refreshToken: "plain-refresh-token-value",
      expiresAt: 1_900_000_000,
    });

    await storeAccountTokens({ provider: "atlassian", providerAccountId, access_token: "newer-access" });
    expect((await readAccountTokens(user.id, "atlassian"))?.accessToken).toBe("newer-access");
  });
});
