import "server-only";

import { runOutboxSweep } from "./external-issue-worker";
import { QUEUES } from "./queues";

/** A job pg-boss's cron starts on a schedule: once per tick across all processes. */
export type ScheduledJob = {
  queue: (typeof QUEUES)[keyof typeof QUEUES]["name"];
  /** A cron expression, in UTC. */
  cron: string;
  run: () => Promise<unknown>;
};

/** Every scheduled job; its queue is declared in QUEUES like any other. */
export const SCHEDULED_JOBS: ScheduledJob[] = [
  { queue: QUEUES.outboxSweep.name, cron: "* * * * *", run: runOutboxSweep },
];
