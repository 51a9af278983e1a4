import type { AddressInfo } from "node:net";

import { createHTTPServer } from "@trpc/server/adapters/standalone";
import { afterAll, beforeAll } from "vitest";

import { trpcHttpOptions } from "~/server/api/http";

/**
 * Serves the options of the /api/trpc route on a plain Node server for the tests of this file;
 * `url(path)` addresses a procedure on it.
 */
export function serveTrpcOverHttp() {
  const server = createHTTPServer({ ...trpcHttpOptions, basePath: "/api/trpc/" });
  let origin = "";
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: (path: string) => `${origin}/api/trpc/${path}` };
}
