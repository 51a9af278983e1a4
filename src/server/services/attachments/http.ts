import "server-only";

import { getHTTPStatusCodeFromError } from "@trpc/server/http";

import type { Viewer } from "~/server/api/trpc";
import { sessionFromHeaders } from "~/server/auth";
import { AppError, toTRPCError } from "~/server/errors";
import { logger } from "~/server/logger";
import { checkRateLimit, RATE_LIMITS, rateLimitMessage } from "~/server/services/rate-limit/rate-limit";

/**
 * What the attachment routes share with tRPC's protected procedures: the viewer from the session
 * cookie, the same per-user rate limit, and AppErrors as JSON with their HTTP status.
 */

export async function viewerOf(request: Request): Promise<Viewer> {
  const session = await sessionFromHeaders(request.headers);
  if (!session?.user) throw new AppError("UNAUTHORIZED", "Sign in to continue.");
  if (!session.organization || !session.role)
    throw new AppError("FORBIDDEN", "You are not a member of any organization.");
  const viewer: Viewer = {
    userId: session.user.id,
    organizationId: session.organization.id,
    role: session.role,
  };
  const rule = viewer.role === "CUSTOMER" ? RATE_LIMITS.customer : RATE_LIMITS.staff;
  // Like tRPC calls: a counter that cannot be reached lets the request through.
  const result = await checkRateLimit({ key: `user:${viewer.userId}`, ...rule }).catch((err: unknown) => {
    logger.error({ err }, "rate limit check failed; letting the request through");
    return null;
  });
  if (result && !result.allowed) {
    throw new AppError("RATE_LIMITED", rateLimitMessage(result.retryAfterSeconds), {
      retryAfterSeconds: result.retryAfterSeconds,
    });
  }
  return viewer;
}

/** Runs a route's work; an AppError becomes `{ error }` with its status (429s with Retry-After). */
export async function answering(work: () => Promise<Response>): Promise<Response> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const retryAfter = error.details?.retryAfterSeconds;
    return Response.json(
      { error: error.message },
      {
        status: getHTTPStatusCodeFromError(toTRPCError(error)),
        headers: {
          "Cache-Control": "no-store",
          ...(typeof retryAfter === "number" ? { "Retry-After": String(retryAfter) } : {}),
        },
      },
    );
  }
}

/** `inline; filename="…"; filename*=UTF-8''…`: an ASCII fallback and the exact name (RFC 6266). */
export function inlineDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%;]/g, "_");
  return `inline; filename="${fallback}"; filename*=UTF-8''${encodeRFC5987(filename)}`;
}

function encodeRFC5987(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
