import "server-only";

import { initTRPC, TRPCError } from "@trpc/server";
import type { Session } from "next-auth";
import superjson from "superjson";
import { z, ZodError } from "zod";

import type { Role } from "~/generated/prisma/client";
import { sessionFromHeaders } from "~/server/auth";
import { AppError, toTRPCError } from "~/server/errors";

export type Viewer = {
  userId: string;
  organizationId: string;
  role: Role;
};

type SessionLike = Session | null;

/** What every procedure sees: the session, and from it the organization and role. */
export async function createTRPCContext(opts: { headers: Headers; session?: SessionLike }) {
  const session = opts.session === undefined ? await sessionFromHeaders(opts.headers) : opts.session;
  return { headers: opts.headers, session };
}

export type TRPCContext = Awaited<ReturnType<typeof createTRPCContext>>;

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    return {
      ...shape,
      data: {
        ...shape.data,
        // Field-level messages for forms, and nothing else from the zod internals.
        fieldErrors:
          error.cause instanceof ZodError
            ? z.flattenError(error.cause).fieldErrors
            : error.cause instanceof AppError
              ? (error.cause.details?.fieldErrors ?? null)
              : null,
      },
    };
  },
});

/** Domain errors thrown by services become the matching tRPC error (and HTTP status). */
const appErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    throw toTRPCError(result.error.cause);
  }
  return result;
});

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;

export const publicProcedure = t.procedure.use(appErrors);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  const { session } = ctx;
  if (!session?.user) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  }
  if (!session.organization || !session.role) {
    throw new TRPCError({ code: "FORBIDDEN", message: "You are not a member of any organization." });
  }
  const viewer: Viewer = {
    userId: session.user.id,
    organizationId: session.organization.id,
    role: session.role,
  };
  return next({ ctx: { ...ctx, session, viewer } });
});

/** A procedure only the given roles of the organization may call. */
export function roleProcedure(...roles: [Role, ...Role[]]) {
  return protectedProcedure.use(({ ctx, next }) => {
    if (!roles.includes(ctx.viewer.role)) {
      throw new TRPCError({
        code: "FORBIDDEN",
        message: `This needs one of these roles: ${roles.join(", ")}. Your role is ${ctx.viewer.role}.`,
      });
    }
    return next();
  });
}

export const adminProcedure = roleProcedure("OWNER", "ADMIN");
export const agentProcedure = roleProcedure("OWNER", "ADMIN", "AGENT");
