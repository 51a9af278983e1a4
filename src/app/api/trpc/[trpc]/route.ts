import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { NextRequest } from "next/server";

import { appRouter } from "~/server/api/root";
import { createTRPCContext, retryAfterSecondsOf } from "~/server/api/trpc";
import { logger } from "~/server/logger";

const handler = (req: NextRequest) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => createTRPCContext({ headers: req.headers }),
    onError: ({ path, error }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") logger.error({ path, err: error }, "tRPC request failed");
    },
    // A rate-limited call answers 429 with Retry-After (the longest wait of the batch). Streamed
    // batches send their headers before any call has run: there the wait is only in the error's
    // data (`retryAfterSeconds`).
    responseMeta: ({ errors }) => {
      const waits = errors.map(retryAfterSecondsOf).filter((seconds) => seconds !== null);
      return waits.length > 0 ? { headers: new Headers({ "Retry-After": String(Math.max(...waits)) }) } : {};
    },
  });

export { handler as GET, handler as POST };
