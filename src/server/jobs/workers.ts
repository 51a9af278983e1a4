import "server-only";

import type PgBoss from "pg-boss";

import { env } from "~/env";
import { database } from "~/server/db";
import { logger } from "~/server/logger";

import { jobQueue, stopJobQueue } from "./boss";
import type { ExternalIssueJobData } from "./external-issue-jobs";
import { runExternalChangeJob } from "./external-change-worker";
import { runExternalIssueJob } from "./external-issue-worker";
import { QUEUES } from "./queues";
import { setRetryPolicy, type RetryPolicy } from "./retry-policy";
import { SCHEDULED_JOBS } from "./scheduled";
import { runWebhookEventJob } from "./webhook-event-worker";

export type WorkerOptions = {
  /** Jobs worked on at once. */
  concurrency?: number;
  /** How often an idle worker looks for jobs (pg-boss's minimum is 0.5). */
  pollIntervalSeconds?: number;
  retry?: Partial<RetryPolicy>;
  /** Run the scheduled jobs here: the outbox sweep, syncs, reports (tests call them directly instead). Default true. */
  sweep?: boolean;
};

const withWorkers = new WeakSet<PgBoss>();

/** Starts this process's workers (idempotent): external-issue attempts and the periodic sweep. */
export async function startWorkers(options: WorkerOptions = {}): Promise<void> {
  if (options.retry) setRetryPolicy(options.retry);
  const boss = await jobQueue("worker");
  if (withWorkers.has(boss)) return;
  withWorkers.add(boss);

  const concurrency = options.concurrency ?? env.WORKER_CONCURRENCY;
  const pollingIntervalSeconds = options.pollIntervalSeconds ?? env.WORKER_POLL_INTERVAL_SECONDS;
  for (let slot = 0; slot < concurrency; slot++) {
    const worker: { id?: string } = {};
    worker.id = await boss.work<ExternalIssueJobData>(
      QUEUES.externalIssue.name,
      { batchSize: 1, pollingIntervalSeconds },
      async ([job]) => {
        try {
          // A throw fails the job and pg-boss retries it; the outbox's own retries are new jobs.
          return { result: job ? await runExternalIssueJob(job.data.externalIssueId) : "empty" };
        } finally {
          // pg-boss waits a polling interval after every job; while there is work, fetch again at once.
          if (worker.id) boss.notifyWorker(worker.id);
        }
      },
    );
  }
  // Sync jobs: one at a time per slot, like creations; each job names its row.
  await boss.work<{ externalChangeId: string }>(
    QUEUES.externalChange.name,
    { batchSize: concurrency, pollingIntervalSeconds },
    (jobs) => Promise.all(jobs.map((job) => runExternalChangeJob(job.data.externalChangeId))),
  );
  await boss.work<{ webhookEventId: string }>(
    QUEUES.webhookEvent.name,
    { batchSize: concurrency, pollingIntervalSeconds },
    (jobs) => Promise.all(jobs.map((job) => runWebhookEventJob(job.data.webhookEventId))),
  );
  if (options.sweep ?? true) {
    for (const job of SCHEDULED_JOBS) {
      await boss.work(job.queue, { pollingIntervalSeconds: 5 }, () => job.run());
      await boss.schedule(job.queue, job.cron);
    }
  }
  logger.info({ concurrency, database: database.mode }, "job workers started");
}

/** Stops this process's workers; running jobs get `graceMs` to finish, then return to the queue. */
export async function stopWorkers({ graceMs }: { graceMs?: number } = {}): Promise<void> {
  await stopJobQueue({ graceMs });
}

/**
 * What a web process runs at start: the workers (the default, and always on the embedded
 * database, which no other process can reach), or only the queue when a separate
 * `npm run worker` does the work.
 */
export async function startJobsForWebProcess(): Promise<void> {
  if (!env.WORKERS_IN_WEB && database.mode === "pglite") {
    logger.warn(
      "WORKERS_IN_WEB=false is ignored on the embedded database: only this process can open it, so it runs the jobs too. Set DATABASE_URL to run workers separately.",
    );
  }
  if (env.WORKERS_IN_WEB || database.mode === "pglite") {
    await startWorkers();
    // Next exits on its own on SIGTERM unless told to leave signals to the app.
    stopWorkersOnSignals({ exitAfter: !!process.env.NEXT_MANUAL_SIG_HANDLE });
  } else {
    await jobQueue("producer");
  }
}

let signalsHandled = false;

/** SIGTERM / SIGINT: stop fetching, let running jobs finish (up to 25 s), then optionally exit. */
export function stopWorkersOnSignals({ exitAfter }: { exitAfter: boolean }): void {
  if (signalsHandled) return;
  signalsHandled = true;
  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal }, "stopping job workers");
    stopWorkers({ graceMs: 25_000 })
      .catch((error: unknown) => logger.error({ err: error }, "job workers did not stop cleanly"))
      .finally(() => {
        if (exitAfter) process.exit(0);
      });
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
