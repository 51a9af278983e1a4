import { createNextApiHandler } from "@trpc/server/adapters/next";

import { trpcHttpOptions } from "~/server/api/http";

/**
 * The tRPC endpoint is a Pages API route rather than an App Router route handler: it takes Node's
 * request and response as they are, where a route handler wraps each in a Web Request and
 * streams the answer back, which made every call cost a third more CPU.
 * tRPC reads the body itself, so it is read once and its size limit applies.
 */
export const config = { api: { bodyParser: false } };

export default createNextApiHandler(trpcHttpOptions);
