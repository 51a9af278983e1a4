import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * Where the end-to-end run puts things. The app runs as in production (secrets set, Atlassian
 * endpoints pointed at the sandbox through configuration only). Without DATABASE_URL it uses a
 * fresh embedded database and serves it on a loopback port so tests can check what was stored.
 */
const appPort = Number(process.env.E2E_APP_PORT ?? 3100);
const sandboxPort = Number(process.env.E2E_SANDBOX_PORT ?? 4110);
const pgliteSocketPort = Number(process.env.E2E_PGLITE_PORT ?? 5499);
const sandboxUrl = `http://localhost:${sandboxPort}`;
const appUrl = `http://localhost:${appPort}`;

// Playwright loads this file in several processes; the first one fixes the data directory.
process.env.E2E_PGLITE_DIR ??= mkdtempSync(path.join(tmpdir(), "ticketbridge-e2e-"));

/**
 * On PostgreSQL the run gets a database of its own next to DATABASE_URL's (created fresh by
 * fresh-database.ts before the app starts), so what earlier test runs left there — their queued
 * jobs, their integrations sealed with other keys — is never picked up by this app.
 */
function e2eDatabaseUrl(serverUrl: string): string {
  const url = new URL(serverUrl);
  url.pathname = `${url.pathname.replace(/^\//, "") || "postgres"}_e2e`;
  return url.toString();
}
// Fixed by the first process, like the data directory: the app's own environment carries the
// run's database as DATABASE_URL.
if (process.env.DATABASE_URL) process.env.E2E_SERVER_DATABASE_URL ??= process.env.DATABASE_URL;
const serverDatabaseUrl = process.env.E2E_SERVER_DATABASE_URL;
const postgresUrl = serverDatabaseUrl ? e2eDatabaseUrl(serverDatabaseUrl) : undefined;

export const E2E = {
  appPort,
  appUrl,
  sandboxPort,
  sandboxUrl,
  databaseUrl: postgresUrl ?? `postgresql://postgres:postgres@127.0.0.1:${pgliteSocketPort}/postgres`,
  /** The server's own database, to create the run's database from (PostgreSQL only). */
  serverDatabaseUrl,
  appEnv: {
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    AUTH_URL: appUrl,
    AUTH_SECRET: "e2e-auth-secret-0123456789abcdefghijklmnop",
    ENCRYPTION_KEY: Buffer.alloc(32, 42).toString("base64"),
    ATLASSIAN_CLIENT_ID: "ticketbridge-dev",
    ATLASSIAN_CLIENT_SECRET: "ticketbridge-dev-secret",
    ATLASSIAN_AUTHORIZATION_URL: `${sandboxUrl}/authorize`,
    ATLASSIAN_TOKEN_URL: `${sandboxUrl}/oauth/token`,
    ATLASSIAN_API_URL: sandboxUrl,
    SANDBOX_URL: sandboxUrl,
    // The sandbox is on loopback; production settings only let allow-listed hosts through.
    OUTBOUND_ALLOWED_HOSTS: `localhost:${sandboxPort},127.0.0.1:${sandboxPort}`,
    // Background retries wait long enough that a test's own Retry click is what retries.
    OUTBOX_RETRY_BASE_MS: "30000",
    LOG_LEVEL: "warn",
    ...(postgresUrl && serverDatabaseUrl
      ? { DATABASE_URL: postgresUrl, E2E_SERVER_DATABASE_URL: serverDatabaseUrl }
      : { PGLITE_DATA_DIR: process.env.E2E_PGLITE_DIR, PGLITE_SOCKET_PORT: String(pgliteSocketPort) }),
  } as Record<string, string>,
};
