import { spawn } from "node:child_process";

import { describe, expect, it } from "vitest";

import { database, db } from "~/server/db";
import { setupTestDatabase } from "~/test/db";

import {
  committedTickets,
  connectOAuth,
  newOrganization,
  TEST_RETRY_POLICY,
  waitUntil,
} from "./test-support";

/** `npm run worker` as a real separate process. */

setupTestDatabase();

function startWorkerProcess(env: Record<string, string | undefined>) {
  const child = spawn(
    process.execPath,
    ["node_modules/tsx/dist/cli.mjs", "--conditions=react-server", "scripts/worker.ts"],
    { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe("npm run worker", () => {
  it("refuses to run on the embedded database, saying why", async () => {
    const worker = startWorkerProcess({ DATABASE_URL: "" });
    expect(await worker.exited).toBe(1);
    expect(worker.output()).toMatch(/needs PostgreSQL \(set DATABASE_URL/);
  }, 30_000);

  it.runIf(database.mode === "postgres")(
    "on PostgreSQL: runs queued jobs in its own process and stops cleanly on SIGTERM",
    async () => {
      const worker = startWorkerProcess({
        LOG_LEVEL: "info",
        OUTBOX_RETRY_BASE_MS: String(TEST_RETRY_POLICY.baseMs),
        OUTBOX_RETRY_MAX_MS: String(TEST_RETRY_POLICY.maxMs),
        OUTBOX_MAX_ATTEMPTS: String(TEST_RETRY_POLICY.maxAttempts),
        WORKER_POLL_INTERVAL_SECONDS: "0.5",
      });
      try {
        await waitUntil(
          async () => worker.output(),
          (output) => output.includes("worker running"),
          { timeoutMs: 30_000, message: "the worker to start" },
        );
        // This test process runs no workers: the issue can only be created by another process.
        const viewer = await newOrganization();
        const ids = await committedTickets(viewer, await connectOAuth(viewer), 2);
        await waitUntil(
          () => db.externalIssue.count({ where: { id: { in: ids }, syncState: "CREATED" } }),
          (created) => created === 2,
          { timeoutMs: 30_000, message: "the worker process to create the issues" },
        );
      } finally {
        worker.child.kill("SIGTERM");
      }
      expect(await worker.exited).toBe(0);
      expect(worker.output()).toContain("stopping job workers");
    },
    90_000,
  );
});
