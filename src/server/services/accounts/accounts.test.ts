import { describe, expect, it } from "vitest";

import { db } from "~/server/db";
import { unique, setupTestDatabase } from "~/test/db";

import { findSessionAndUser, forgetSession, SESSION_CACHE_TTL_MS } from "~/server/auth/session-store";

import {
  createUserWithPersonalOrganization,
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
    const sessionToken = unique("token");
    await db.session.create({
      data: { sessionToken, userId: user.id, expires: new Date(Date.now() + 60_000) },
    });
    const { membership } = (await findSessionAndUser(sessionToken))!.user;
    expect(membership?.role).toBe("OWNER");
    expect(membership?.organization.name).toBe("Ada Lovelace's organization");
    const audit = await db.auditEvent.findMany({ where: { organizationId: membership!.organization.id } });
    expect(audit.map((event) => event.action)).toEqual(["organization.created"]);
  });

  it("resolves a session with its user and membership, keeps it briefly, forgets it on request", async () => {
    const user = await createUserWithPersonalOrganization({
      email: `${unique("lin")}@example.test`,
      name: "Lin",
      emailVerified: null,
    });
    const sessionToken = unique("token");
    const expires = new Date(Date.now() + 60_000);
    await db.session.create({ data: { sessionToken, userId: user.id, expires } });

    const found = await findSessionAndUser(sessionToken);
    expect(found?.session).toEqual({ sessionToken, userId: user.id, expires });
    expect(found?.user).toMatchObject({ id: user.id, name: "Lin", membership: { role: "OWNER" } });
    expect(await findSessionAndUser(unique("unknown"))).toBeNull();

    // Within the cache window the deleted row is not read again, unless the session is forgotten.
    await db.session.delete({ where: { sessionToken } });
    expect(SESSION_CACHE_TTL_MS).toBeLessThanOrEqual(10_000);
    expect(await findSessionAndUser(sessionToken)).toEqual(found);
    forgetSession(sessionToken);
    expect(await findSessionAndUser(sessionToken)).toBeNull();
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
