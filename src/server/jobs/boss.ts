import "server-only";

import type { PGlite } from "@electric-sql/pglite";
import PgBoss from "pg-boss";

import { env } from "~/env";
import { Prisma } from "~/generated/prisma/client";
import { database } from "~/server/db";
import { logger } from "~/server/logger";

import { QUEUES } from "./queues";

/**
 * The job queue: one pg-boss instance per process, on the app's own database. On PostgreSQL
 * pg-boss keeps its own small pool; in embedded mode it runs its SQL through the in-process PGlite
 * (pg-boss needs no LISTEN/NOTIFY; SKIP LOCKED and advisory locks work there too).
 *
 * A process is a "producer" (it only queues jobs: a web process with WORKERS_IN_WEB=false, tests)
 * or a "worker" (it also runs the jobs, pg-boss maintenance and the cron schedules).
 */

export type QueueRole = "producer" | "worker";

const SCHEMA = "pgboss";

/** How pg-boss runs its SQL; also how a job is queued inside someone else's transaction. */
export type SqlExecutor = PgBoss.Db;

type QueueState = { boss: PgBoss; role: QueueRole; ready: Promise<PgBoss> };

// Survives Next loading this module into several bundles, like the database itself.
const globalForJobs = globalThis as unknown as {
  ticketbridgeJobQueue?: QueueState | null;
  /** pg-boss's tables and the app's queues exist (installed by a start in this process). */
  ticketbridgeJobTablesReady?: boolean;
  ticketbridgeJobSender?: PgBoss;
};

/**
 * The started instance. A worker instance serves producers too; asking for a worker while a
 * producer is running replaces it (a producer holds no jobs, so nothing is lost).
 */
export async function jobQueue(role: QueueRole = "producer"): Promise<PgBoss> {
  const current = globalForJobs.ticketbridgeJobQueue;
  if (current && (current.role === "worker" || role === "producer")) return current.ready;
  if (current) await stopJobQueue();
  const boss = createBoss(role);
  const ready = boss.start().then(async () => {
    for (const queue of Object.values(QUEUES)) await boss.createQueue(queue.name, queue);
    globalForJobs.ticketbridgeJobTablesReady = true;
    return boss;
  });
  globalForJobs.ticketbridgeJobQueue = { boss, role, ready };
  ready.catch(() => {
    if (globalForJobs.ticketbridgeJobQueue?.boss === boss) globalForJobs.ticketbridgeJobQueue = null;
  });
  return ready;
}

/** The running instance, if any, without starting one. */
export function runningJobQueue(): PgBoss | null {
  return globalForJobs.ticketbridgeJobQueue?.boss ?? null;
}

/**
 * pg-boss's own statement for queueing a job, as SQL to nest in a caller's statement: the job is
 * then written by the same statement as the rows it belongs to, with no transaction around them.
 * The text comes from pg-boss at run time, so it is always what pg-boss itself would write. It
 * returns the job's id (no row when pg-boss refuses the job: the caller must then write nothing).
 */
export async function jobInsertSql(queue: string, data: object, { startAfter }: { startAfter: Date }) {
  let statement: { text: string; values: unknown[] } | undefined;
  await sendJob(queue, data, {
    startAfter,
    executor: {
      executeSql: (text: string, values: unknown[] = []) => {
        // One statement can be nested; should pg-boss ever need two, this must fail loudly.
        if (statement) throw new Error(`pg-boss queues a job of "${queue}" with more than one statement.`);
        statement = { text, values };
        return Promise.resolve({ rows: [{ id: "nested" }] });
      },
    },
  });
  if (!statement) throw new Error(`pg-boss wrote no statement for a job of "${queue}".`);
  const { text, values } = statement;
  // "… $2 … $1 …" becomes a tagged template's parts, one value per placeholder, so it can nest.
  const strings: string[] = [];
  const ordered: unknown[] = [];
  let end = 0;
  for (const placeholder of text.matchAll(/\$(\d+)/g)) {
    strings.push(text.slice(end, placeholder.index));
    ordered.push(toSqlValue(values[Number(placeholder[1]) - 1]));
    end = placeholder.index + placeholder[0].length;
  }
  strings.push(text.slice(end));
  return Prisma.sql(strings, ...(ordered as Prisma.Sql["values"]));
}

/**
 * Queues a job through `executor` (a transaction's): it commits or rolls back with it. Needs no
 * running instance, so stopping the workers (a deploy, a test) never stops tickets from being
 * filed; only the tables must exist, and on the embedded database they cannot be installed from
 * inside a transaction (which holds its one connection), hence the check.
 */
export async function sendJob(
  queue: string,
  data: object,
  { startAfter, executor }: { startAfter: Date; executor: SqlExecutor },
): Promise<string> {
  if (!globalForJobs.ticketbridgeJobTablesReady) {
    throw new Error(
      "The job queue is not installed yet in this process: start the server (startServer) or call jobQueue() first.",
    );
  }
  // Only builds the SQL for `executor`; never started, it has no connection of its own.
  const sender = (globalForJobs.ticketbridgeJobSender ??= new PgBoss({ schema: SCHEMA, db: NO_CONNECTION }));
  const jobId = await sender.send(queue, data, { startAfter, db: executor });
  // pg-boss answers null instead of failing when the queue does not exist; a lost job is worse.
  if (!jobId) throw new Error(`The job queue "${queue}" refused a job (${JSON.stringify(data)}).`);
  return jobId;
}

/**
 * Stops the instance: no new jobs are fetched, running ones get `graceMs` to finish; whatever is
 * still running then is released back to the queue (pg-boss retries it).
 */
export async function stopJobQueue({ graceMs = 10_000 }: { graceMs?: number } = {}): Promise<void> {
  const current = globalForJobs.ticketbridgeJobQueue;
  if (!current) return;
  globalForJobs.ticketbridgeJobQueue = null;
  await current.ready.catch(() => undefined);
  await current.boss.stop({ graceful: true, timeout: graceMs, wait: true });
}

const NO_CONNECTION: SqlExecutor = {
  executeSql: () => Promise.reject(new Error("This pg-boss instance only queues through a given executor.")),
};

function createBoss(role: QueueRole): PgBoss {
  const worker = role === "worker";
  const options: PgBoss.ConstructorOptions = {
    schema: SCHEMA,
    migrate: true,
    // Maintenance (expiring jobs whose worker died, archiving) and cron only where jobs are run.
    supervise: worker,
    schedule: worker,
    maintenanceIntervalSeconds: 60,
  };
  const boss = database.embeddedQueries
    ? new PgBoss({ ...options, db: embeddedExecutor(database.embeddedQueries) })
    : new PgBoss({
        ...options,
        connectionString: env.DATABASE_URL,
        max: 4,
        application_name: "ticketbridge-jobs",
      });
  boss.on("error", (error) => logger.error({ err: error }, "job queue error"));
  return boss;
}

/**
 * pg-boss on PGlite. Statements with parameters go through `query`; pg-boss's schema install,
 * migrations and maintenance are multi-statement scripts without parameters, which only `exec`
 * runs (it answers every statement's result; pg-boss wants the last one's rows). Both wait for any
 * open transaction on the single embedded connection, so they never interleave with one.
 */
export function embeddedExecutor(pglite: Pick<PGlite, "query" | "exec">): SqlExecutor {
  return {
    async executeSql(text: string, values?: unknown[]) {
      if (values && values.length > 0) {
        const result = await pglite.query(text, values.map(toSqlValue));
        return { rows: result.rows };
      }
      const results = await pglite.exec(text);
      return { rows: results.at(-1)?.rows ?? [] };
    },
  };
}

/** Runs pg-boss's SQL inside a Prisma interactive transaction, so a job commits or rolls back with it. */
export function transactionExecutor(tx: Prisma.TransactionClient): SqlExecutor {
  return {
    async executeSql(text: string, values: unknown[] = []) {
      const rows = await tx.$queryRawUnsafe<unknown[]>(text, ...values.map(toSqlValue));
      return { rows };
    },
  };
}

/** pg-boss leaves unset options `undefined`; drivers want null. Objects go as JSON text. */
function toSqlValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (value !== null && typeof value === "object" && !Array.isArray(value) && !(value instanceof Date)) {
    return JSON.stringify(value);
  }
  return value;
}
