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
    // next-auth imports `next/server` without an extension; let Vite resolve it.
    server: { deps: { inline: ["next-auth"] } },
    // Each test file gets an in-memory embedded database of its own, loaded from a migrated dump
    // (src/test/test-databases.ts), unless DATABASE_URL is set.
    env: {
      PGLITE_DATA_DIR: "memory://",
      LOG_LEVEL: "silent",
    },
    globalSetup: ["src/test/global-setup.ts"],
    setupFiles: ["src/test/setup-file.ts"],
  },
});
