import "server-only";

import { env } from "~/env";
import type { Prisma } from "~/generated/prisma/client";
import { db } from "~/server/db";
import { seal } from "~/server/integrations/crypto";
import { InvalidCredentials, Unavailable, type AccessTokenSource } from "~/server/integrations/types";

import { accountTokenContext, readAccountTokens } from "./accounts";

/** Refresh a little before expiry, so a token does not lapse mid-request. */
const EXPIRY_MARGIN_SECONDS = 60;

type TokenResponse = { access_token: string; refresh_token?: string; expires_in: number; scope?: string };

/**
 * The signed-in user's Atlassian grant as an access-token source for Jira calls.
 *
 * Atlassian rotates refresh tokens: each refresh returns a new one and reusing an old one outside
 * a short grace period revokes the whole grant. So refreshing happens under a database lock per
 * account (shared by every web and worker process); whoever gets the lock second finds the new
 * token already stored and uses it instead of spending the refresh token again.
 */
export function atlassianTokenSource(userId: string): AccessTokenSource {
  return {
    async getAccessToken() {
      const account = await loadAccount(userId);
      if (account.accessToken && !isExpired(account.expiresAt)) return account.accessToken;
      return refresh(userId, account.accessToken);
    },
    refreshAfterRejection: (rejectedToken) => refresh(userId, rejectedToken),
  };
}

const isExpired = (expiresAt: number | null) =>
  expiresAt !== null && expiresAt - EXPIRY_MARGIN_SECONDS <= Date.now() / 1000;

async function loadAccount(userId: string, client?: Prisma.TransactionClient) {
  const account = await readAccountTokens(userId, "atlassian", client);
  if (!account) {
    throw new InvalidCredentials(
      "This user has not connected an Atlassian account. Sign in with Atlassian again.",
      {
        grantRevoked: true,
      },
    );
  }
  return account;
}

async function refresh(userId: string, staleToken: string | null): Promise<string> {
  return db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`atlassian-refresh:${userId}`}))`;
      const account = await loadAccount(userId, tx);
      // Someone refreshed while we waited for the lock: their token is the one to use.
      if (account.accessToken && account.accessToken !== staleToken && !isExpired(account.expiresAt)) {
        return account.accessToken;
      }
      if (!account.refreshToken) {
        throw new InvalidCredentials(
          "The Atlassian grant has no refresh token. Sign in with Atlassian again.",
          {
            grantRevoked: true,
          },
        );
      }
      const tokens = await requestRefresh(account.refreshToken);
      const context = (kind: "access" | "refresh") =>
        accountTokenContext("atlassian", account.providerAccountId, kind);
      await tx.account.update({
        where: {
          provider_providerAccountId: { provider: "atlassian", providerAccountId: account.providerAccountId },
        },
        data: {
          accessTokenSealed: seal(tokens.access_token, context("access")),
          refreshTokenSealed: seal(tokens.refresh_token ?? account.refreshToken, context("refresh")),
          expires_at: Math.floor(Date.now() / 1000) + tokens.expires_in,
          ...(tokens.scope ? { scope: tokens.scope } : {}),
        },
      });
      return tokens.access_token;
    },
    { timeout: 20_000, maxWait: 20_000 },
  );
}

async function requestRefresh(refreshToken: string): Promise<TokenResponse> {
  let response: Response;
  try {
    response = await fetch(env.ATLASSIAN_TOKEN_URL, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        grant_type: "refresh_token",
        client_id: env.ATLASSIAN_CLIENT_ID,
        client_secret: env.ATLASSIAN_CLIENT_SECRET,
        refresh_token: refreshToken,
      }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new Unavailable(
      `Atlassian's sign-in service could not be reached (${(error as Error).message}). Try again shortly.`,
    );
  }
  if (response.ok) return (await response.json()) as TokenResponse;
  if (response.status >= 500) {
    throw new Unavailable(`Atlassian's sign-in service answered ${response.status}. Try again shortly.`);
  }
  // 400/401/403: the refresh token is no longer valid — the grant was revoked or expired.
  throw new InvalidCredentials(
    "Atlassian no longer accepts this account's authorization (it was revoked or expired). Sign in with Atlassian again to reconnect.",
    { status: response.status, grantRevoked: true },
  );
}
