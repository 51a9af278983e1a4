import "server-only";

import { parse as parseCookies } from "cookie";
import NextAuth, { type Session } from "next-auth";
import { cache } from "react";

import { authConfig } from "./config";
import { findSessionAndUser, toSession } from "./session-store";

const { auth: uncachedAuth, handlers, signIn, signOut } = NextAuth(authConfig);

/** The session, read once per request. */
const auth = cache((): Promise<Session | null> => uncachedAuth());

/**
 * The session of an API request, read straight from its cookie: the same store and the same
 * answer as auth(), without a pass through Auth.js's request handling on every call. The cookie's
 * name follows Auth.js: "__Secure-" prefixed when the app is served over https.
 */
async function sessionFromHeaders(headers: Headers): Promise<Session | null> {
  const publicUrl = process.env.AUTH_URL;
  const protocol = publicUrl
    ? new URL(publicUrl).protocol
    : `${headers.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? "http"}:`;
  const cookieName = `${protocol === "https:" ? "__Secure-" : ""}authjs.session-token`;
  const token = parseCookies(headers.get("cookie") ?? "")[cookieName];
  if (!token) return null;
  const found = await findSessionAndUser(token);
  if (!found || found.session.expires <= new Date()) return null;
  return toSession(found.user, found.session.expires);
}

export { auth, handlers, sessionFromHeaders, signIn, signOut };
