/**
 * `npm run worker`: a process that only runs background jobs (external issue creation, its retries
 * and the sweep), for scaling out next to web processes started with WORKERS_IN_WEB=false. Needs
 * PostgreSQL: the embedded database belongs to the one process that opened it. Stops gracefully
 * on SIGTERM / SIGINT.
 */
import { env } from "../src/env";

if (!env.DATABASE_URL) {
  console.error(
    [
      "npm run worker needs PostgreSQL (set DATABASE_URL=postgresql://…).",
      "Without it the app runs on the embedded database, which only the web process can open;",
      "there the web process runs the jobs itself (WORKERS_IN_WEB is always on).",
    ].join("\n"),
  );
  process.exit(1);
}

// Imported only now: opening the database is what must not happen in embedded mode.
const { database } = await import("../src/server/db");
const { logger } = await import("../src/server/logger");
const { startWorkers, stopWorkersOnSignals } = await import("../src/server/jobs/workers");

const applied = await database.migrate();
logger.info({ applied }, "database ready");
await startWorkers();
stopWorkersOnSignals({ exitAfter: true });
logger.info("worker running; SIGTERM or Ctrl-C stops it after the jobs in hand finish");
