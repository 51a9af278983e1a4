import "server-only";

import NextAuth, { type Session } from "next-auth";
import { cache } from "react";

import { authConfig } from "./config";

const { auth: uncachedAuth, handlers, signIn, signOut } = NextAuth(authConfig);

/** The session, read once per request. */
const auth = cache((): Promise<Session | null> => uncachedAuth());

export { auth, handlers, signIn, signOut };
