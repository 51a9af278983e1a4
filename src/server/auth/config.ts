import "server-only";

import { PrismaAdapter } from "@auth/prisma-adapter";
import type { NextAuthConfig } from "next-auth";
import type { Adapter } from "next-auth/adapters";
import Atlassian from "next-auth/providers/atlassian";

import { env } from "~/env";
import type { Role } from "~/generated/prisma/client";
import { db } from "~/server/db";
import {
  createUserWithPersonalOrganization,
  linkAccount,
  storeAccountTokens,
} from "~/server/services/accounts/accounts";

import { findSessionAndUser, forgetSession, toSession, type UserWithMembership } from "./session-store";

declare module "next-auth" {
  interface Session {
    user: { id: string; name?: string | null; email?: string | null; image?: string | null };
    organization: { id: string; name: string; slug: string } | null;
    role: Role | null;
  }
}

/**
 * Atlassian OAuth 2.0 (3LO). `offline_access` brings a refresh token, `read:jira-*` and
 * `write:jira-work` let the app act in Jira on the user's behalf later.
 */
const ATLASSIAN_SCOPES = [
  "read:me",
  "read:account",
  "offline_access",
  "read:jira-user",
  "read:jira-work",
  "write:jira-work",
  "manage:jira-webhook",
].join(" ");

const prismaAdapter = PrismaAdapter(db);

const adapter: Adapter = {
  ...prismaAdapter,
  getSessionAndUser: findSessionAndUser,
  updateSession: (session) => {
    forgetSession(session.sessionToken);
    return prismaAdapter.updateSession!(session);
  },
  deleteSession: (sessionToken) => {
    forgetSession(sessionToken);
    return prismaAdapter.deleteSession!(sessionToken);
  },
  createUser: ({ id: _id, ...data }) => createUserWithPersonalOrganization(data),
  linkAccount: async (account) => {
    await linkAccount(account);
  },
};

export const authConfig = {
  adapter,
  session: { strategy: "database" },
  trustHost: true,
  secret: env.AUTH_SECRET,
  pages: { signIn: "/", error: "/" },
  providers: [
    Atlassian({
      clientId: env.ATLASSIAN_CLIENT_ID,
      clientSecret: env.ATLASSIAN_CLIENT_SECRET,
      authorization: {
        url: env.ATLASSIAN_AUTHORIZATION_URL,
        params: { audience: "api.atlassian.com", scope: ATLASSIAN_SCOPES, prompt: "consent" },
      },
      token: env.ATLASSIAN_TOKEN_URL,
      userinfo: `${env.ATLASSIAN_API_URL}/me`,
    }),
  ],
  events: {
    // linkAccount stores the first grant; later sign-ins bring new tokens.
    async signIn({ account, isNewUser }) {
      if (account && account.type === "oauth" && !isNewUser) await storeAccountTokens(account);
    },
  },
  callbacks: {
    // findSessionAndUser brought the membership along with the user. Only these fields reach the
    // browser: the adapter's session row (with its token) is not spread into the answer.
    session: ({ session, user }) => toSession(user as UserWithMembership, session.expires),
  },
} satisfies NextAuthConfig;
