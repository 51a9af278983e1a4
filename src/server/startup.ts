import "server-only";

import { env } from "~/env";
import { database } from "~/server/db";
import { startJobsForWebProcess } from "~/server/jobs/workers";
import { logger } from "~/server/logger";

/**
 * Server start: the environment is validated by importing it (the process stops with a clear
 * message when a production setting is missing), then pending migrations are applied and the job
 * queue starts (with its workers, unless WORKERS_IN_WEB=false leaves them to `npm run worker`).
 */
export async function startServer(): Promise<void> {
  const applied = await database.migrate();
  logger.info({ database: database.mode, applied }, "database ready");
  if (database.pglite && env.PGLITE_SOCKET_PORT) {
    // Lets local tools (the end-to-end tests' database assertions) reach the embedded database.
    const { PGLiteSocketServer } = await import("@electric-sql/pglite-socket");
    const server = new PGLiteSocketServer({
      db: database.pglite,
      port: env.PGLITE_SOCKET_PORT,
      host: "127.0.0.1",
    });
    await server.start();
    logger.info({ port: env.PGLITE_SOCKET_PORT }, "embedded database served on loopback");
  }
  await startJobsForWebProcess();
}
