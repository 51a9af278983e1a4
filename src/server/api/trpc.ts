import "server-only";

import { initTRPC, TRPCError } from "@trpc/server";
import type { Session } from "next-auth";
import superjson from "superjson";
import { z, ZodError } from "zod";

import type { Role } from "~/generated/prisma/client";
import { sessionFromHeaders } from "~/server/auth";
import { AppError, toTRPCError } from "~/server/errors";
import { logger } from "~/server/logger";
import { checkRateLimit, RATE_LIMITS, rateLimitMessage } from "~/server/services/rate-limit/rate-limit";

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

/** Larger request bodies are refused (413) before they are read to the end. */
export const MAX_TRPC_BODY_BYTES = 1024 * 1024;

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    return {
      ...shape,
      message:
        error.code === "PAYLOAD_TOO_LARGE"
          ? "This request is larger than 1 MB. Shorten the text and send it again."
          : shape.message,
      data: {
        ...shape.data,
        // Field-level messages for forms, and nothing else from the zod internals.
        fieldErrors:
          error.cause instanceof ZodError
            ? z.flattenError(error.cause).fieldErrors
            : error.cause instanceof AppError
              ? (error.cause.details?.fieldErrors ?? null)
              : null,
        // Seconds until a refused (TOO_MANY_REQUESTS) call may be made again; null otherwise.
        retryAfterSeconds: retryAfterSecondsOf(error),
      },
    };
  },
});

/** The wait carried by a rate-limit error (thrown by protectedProcedure below), or null. */
export function retryAfterSecondsOf(error: TRPCError): number | null {
  if (error.code !== "TOO_MANY_REQUESTS" || !(error.cause instanceof AppError)) return null;
  const seconds = error.cause.details?.retryAfterSeconds;
  return typeof seconds === "number" ? seconds : null;
}

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

const authenticated = publicProcedure.use(({ ctx, next }) => {
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

/**
 * Calls per user and minute, counted in the database so every web process shares the limit (in
 * blocks far from the limit, one call at a time near it). A counter that cannot be reached lets the call through (and logs it): the
 * limit protects the app, it must not be what takes it down.
 */
export const protectedProcedure = authenticated.use(async ({ ctx, next }) => {
  const rule = ctx.viewer.role === "CUSTOMER" ? RATE_LIMITS.customer : RATE_LIMITS.staff;
  const result = await checkRateLimit({ key: `user:${ctx.viewer.userId}`, ...rule }).catch((err: unknown) => {
    logger.error({ err }, "rate limit check failed; letting the call through");
    return null;
  });
  if (result && !result.allowed) {
    throw toTRPCError(
      new AppError("RATE_LIMITED", rateLimitMessage(result.retryAfterSeconds), {
        retryAfterSeconds: result.retryAfterSeconds,
        limit: result.limit,
      }),
    );
  }
  return next();
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
