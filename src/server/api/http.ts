import "server-only";

import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";

import type { NodeHTTPHandlerOptions } from "@trpc/server/adapters/node-http";

import { appRouter, type AppRouter } from "~/server/api/root";
import { createTRPCContext, MAX_TRPC_BODY_BYTES, retryAfterSecondsOf } from "~/server/api/trpc";
import { logger } from "~/server/logger";

/**
 * How tRPC answers over HTTP: the `/api/trpc` route, and tests that serve the same options on a
 * plain Node server.
 */
export const trpcHttpOptions = {
  router: appRouter,
  maxBodySize: MAX_TRPC_BODY_BYTES,
  createContext: ({ req }) => createTRPCContext({ headers: headersOf(req.headers) }),
  onError: ({ path, error }) => {
    if (error.code === "INTERNAL_SERVER_ERROR") logger.error({ path, err: error }, "tRPC request failed");
  },
  // A rate-limited call answers 429 with Retry-After (the longest wait of the batch). Streamed
  // batches send their headers before any call has run: there the wait is only in the error's
  // data (`retryAfterSeconds`).
  responseMeta: ({ errors, type }) => {
    const headers = new Headers();
    const waits = errors.map(retryAfterSecondsOf).filter((seconds) => seconds !== null);
    if (waits.length > 0) headers.set("Retry-After", String(Math.max(...waits)));
    // A mutation's answer is a few kilobytes that reach the browser in its first round trip either
    // way: gzipping it (Next gzips every streamed answer) cost about 0.5 ms of CPU per ticket
    // filed. `no-transform` makes Next's compression pass it by; queries, lists among them, stay
    // compressed.
    if (type === "mutation") headers.set("Cache-Control", "no-store, no-transform");
    return { headers };
  },
} satisfies Omit<NodeHTTPHandlerOptions<AppRouter, IncomingMessage, ServerResponse>, "req" | "res" | "path">;

function headersOf(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (typeof value === "string") headers.set(name, value);
    else if (value) for (const item of value) headers.append(name, item);
  }
  return headers;
}
