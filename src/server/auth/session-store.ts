import "server-only";

import { LRUCache } from "lru-cache";
import type { Session } from "next-auth";
import type { AdapterSession, AdapterUser } from "next-auth/adapters";

import type { Role } from "~/generated/prisma/client";
import { db } from "~/server/db";

/**
 * Sessions are looked up on every request, so the lookup is one query (session, user and primary
 * membership together) and its answer is kept for a few seconds. Signing out or a session update
 * in this process drops the entry at once; other processes see it within SESSION_CACHE_TTL_MS.
 */
export const SESSION_CACHE_TTL_MS = 5_000;

export type SessionMembership = {
  role: Role;
  organization: { id: string; name: string; slug: string };
};
export type UserWithMembership = AdapterUser & { membership: SessionMembership | null };
export type SessionAndUser = { session: AdapterSession; user: UserWithMembership };

const cache = new LRUCache<string, SessionAndUser>({ max: 10_000, ttl: SESSION_CACHE_TTL_MS });

type Row = {
  sessionToken: string;
  userId: string;
  expires: Date;
  name: string | null;
  email: string | null;
  emailVerified: Date | null;
  image: string | null;
  role: Role | null;
  organizationId: string | null;
  organizationName: string | null;
  organizationSlug: string | null;
};

export async function findSessionAndUser(sessionToken: string): Promise<SessionAndUser | null> {
  const cached = cache.get(sessionToken);
  if (cached) return cached;
  const [row] = await db.$queryRaw<Row[]>`
    SELECT s."sessionToken", s."userId", s.expires, u.name, u.email, u."emailVerified", u.image,
           m.role, o.id AS "organizationId", o.name AS "organizationName", o.slug AS "organizationSlug"
    FROM "Session" s
    JOIN "User" u ON u.id = s."userId"
    LEFT JOIN LATERAL (
      SELECT role, "organizationId" FROM "Membership"
      WHERE "userId" = u.id ORDER BY "createdAt" LIMIT 1
    ) m ON true
    LEFT JOIN "Organization" o ON o.id = m."organizationId"
    WHERE s."sessionToken" = ${sessionToken}`;
  if (!row) return null;
  const found: SessionAndUser = {
    session: { sessionToken: row.sessionToken, userId: row.userId, expires: row.expires },
    user: {
      id: row.userId,
      name: row.name,
      email: row.email ?? "",
      emailVerified: row.emailVerified,
      image: row.image,
      membership:
        row.role && row.organizationId
          ? {
              role: row.role,
              organization: {
                id: row.organizationId,
                name: row.organizationName!,
                slug: row.organizationSlug!,
              },
            }
          : null,
    },
  };
  // Kept no longer than the session lives; an expired one is handed to Auth.js (which deletes it).
  const lifetimeMs = row.expires.getTime() - Date.now();
  if (lifetimeMs > 0) cache.set(sessionToken, found, { ttl: Math.min(SESSION_CACHE_TTL_MS, lifetimeMs) });
  return found;
}

export function forgetSession(sessionToken: string): void {
  cache.delete(sessionToken);
}

/** The session the app works with: the user, their organization and role. */
export function toSession(user: UserWithMembership, expires: Date): Session {
  return {
    expires: expires.toISOString(),
    user: { id: user.id, name: user.name, email: user.email, image: user.image },
    organization: user.membership?.organization ?? null,
    role: user.membership?.role ?? null,
  };
}
