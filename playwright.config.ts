import { defineConfig } from "@playwright/test";

import { E2E } from "./e2e/support/environment";

/**
 * End-to-end tests in real Chromium (Debian's /usr/bin/chromium) against a production build of
 * the app and the local Atlassian + Jira sandbox, each on its own loopback port.
 */
export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  // One retry on CI, taken only when the browser stopped drawing frames (see e2e/support/test.ts).
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  reporter: process.env.CI ? [["list"]] : [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: E2E.appUrl,
    trace: "retain-on-failure",
    // An action that waits this long is stuck; fail it while the test has time to say why.
    actionTimeout: 30_000,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: [
    {
      command: "tsx sandbox/server.ts",
      url: `${E2E.sandboxUrl}/__sandbox/faults`,
      env: { SANDBOX_PORT: String(E2E.sandboxPort), SANDBOX_STRICT: "1" },
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      command:
        (E2E.serverDatabaseUrl ? "tsx e2e/support/fresh-database.ts && " : "") +
        "npm run build && npm run start -- --port " +
        E2E.appPort,
      url: `${E2E.appUrl}/api/health`,
      env: E2E.appEnv,
      reuseExistingServer: false,
      timeout: 240_000,
      stdout: "pipe",
    },
  ],
});
