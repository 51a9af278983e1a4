import "server-only";

import type { AdapterAccount, AdapterUser } from "next-auth/adapters";

import type { Prisma } from "~/generated/prisma/client";
import { db } from "~/server/db";
import { open, seal } from "~/server/integrations/crypto";

/** Sealing contexts bind each token to its account and kind, so a sealed value cannot be swapped. */
export const accountTokenContext = (
  provider: string,
  providerAccountId: string,
  kind: "access" | "refresh",
) => `account:${provider}:${providerAccountId}:${kind}`;

type OAuthTokens = Pick<AdapterAccount, "provider" | "providerAccountId"> &
  Partial<Pick<AdapterAccount, "access_token" | "refresh_token" | "expires_at" | "token_type" | "scope">>;

function sealedTokenColumns(account: OAuthTokens) {
  const { provider, providerAccountId } = account;
  return {
    accessTokenSealed: account.access_token
      ? seal(account.access_token, accountTokenContext(provider, providerAccountId, "access"))
      : null,
    refreshTokenSealed: account.refresh_token
      ? seal(account.refresh_token, accountTokenContext(provider, providerAccountId, "refresh"))
      : null,
    expires_at: account.expires_at ?? null,
    token_type: account.token_type ?? null,
    scope: account.scope ?? null,
  };
}

/** Links an identity-provider account; its OAuth tokens are stored sealed, never in plaintext. */
export async function linkAccount(account: AdapterAccount): Promise<void> {
  await db.account.create({
    data: {
      userId: account.userId,
      type: account.type,
      provider: account.provider,
      providerAccountId: account.providerAccountId,
      session_state: typeof account.session_state === "string" ? account.session_state : null,
      ...sealedTokenColumns(account),
    },
  });
}

/** Every sign-in brings a fresh grant: keep the newest tokens. */
export async function storeAccountTokens(account: OAuthTokens): Promise<void> {
  await db.account.updateMany({
    where: { provider: account.provider, providerAccountId: account.providerAccountId },
    data: sealedTokenColumns(account),
  });
}

export type AccountTokens = {
  providerAccountId: string;
  accessToken: string | null;
  refreshToken: string | null;
  expiresAt: number | null;
};

/** The decrypted tokens of a user's account with a provider, for calls on the user's behalf. */
export async function readAccountTokens(
  userId: string,
  provider: string,
  client: Prisma.TransactionClient = db,
): Promise<AccountTokens | null> {
  const account = await client.account.findFirst({ where: { userId, provider } });
  if (!account) return null;
  const { providerAccountId } = account;
  return {
    providerAccountId,
    accessToken: account.accessTokenSealed
      ? open(account.accessTokenSealed, accountTokenContext(provider, providerAccountId, "access"))
      : null,
    refreshToken: account.refreshTokenSealed
      ? open(account.refreshTokenSealed, accountTokenContext(provider, providerAccountId, "refresh"))
      : null,
    expiresAt: account.expires_at,
  };
}

function slugify(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "org"
  );
}

/**
 * Creates a user together with their personal organization, as its OWNER, in one transaction:
 * nobody is ever signed in without an organization.
 */
export async function createUserWithPersonalOrganization(
  data: Omit<AdapterUser, "id">,
): Promise<AdapterUser> {
  const displayName = data.name ?? data.email.split("@")[0] ?? "My";
  return db.$transaction(async (tx) => {
    const user = await tx.user.create({
      data: { name: data.name, email: data.email, emailVerified: data.emailVerified, image: data.image },
    });
    const organization = await tx.organization.create({
      data: {
        name: `${displayName}'s organization`,
        slug: `${slugify(displayName)}-${user.id.slice(-6)}`,
        personal: true,
        memberships: { create: { userId: user.id, role: "OWNER" } },
      },
    });
    await tx.auditEvent.create({
      data: {
        organizationId: organization.id,
        actorId: user.id,
        action: "organization.created",
        entityType: "Organization",
        entityId: organization.id,
        reason: "First sign-in: personal organization",
        after: {
          name: organization.name,
          slug: organization.slug,
          role: "OWNER",
        } satisfies Prisma.InputJsonValue,
      },
    });
    return { ...user, email: user.email ?? data.email };
  });
}
