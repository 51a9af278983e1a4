import { availableParallelism } from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "~": path.resolve(import.meta.dirname, "src"),
      // `server-only` throws outside React Server Components; tests run on the server anyway.
      "server-only": path.resolve(import.meta.dirname, "src/test/empty-module.ts"),
    },
  },
  test: {
    include: ["src/**/*.test.ts", "sandbox/**/*.test.ts", "scripts/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // One test file per core: most of a file's time is spent waiting on the database, the sandbox
    // and timers (vitest's default leaves a core free, which on two cores means one file at a time).
    maxWorkers: availableParallelism(),
    // next-auth imports `next/server` without an extension; let Vite resolve it.
    server: { deps: { inline: ["next-auth"] } },
    // Each test file gets a migrated database of its own (src/test/test-databases.ts): PGlite in
    // memory unless DATABASE_URL is set.
    env: {
      PGLITE_DATA_DIR: "memory://",
      LOG_LEVEL: "silent",
    },
    globalSetup: ["src/test/global-setup.ts"],
    setupFiles: ["src/test/setup-file.ts"],
  },
});
