import "server-only";

import { runWeeklyReports } from "~/server/services/reports/weekly-report";
import { refreshDynamicWebhooks } from "~/server/services/sync/dynamic-webhooks";
import { pollIntegrations } from "~/server/services/sync/poll";
import { refreshStaleTickets } from "~/server/services/tickets/stale-tickets";
import { refreshStatsSnapshots } from "~/server/services/tickets/ticket-stats";

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
  { queue: QUEUES.staleTickets.name, cron: "*/15 * * * *", run: () => refreshStaleTickets() },
  // Mondays 06:00 UTC, for the week that ended at midnight.
  { queue: QUEUES.weeklyReports.name, cron: "0 6 * * 1", run: () => runWeeklyReports() },
  { queue: QUEUES.statsSnapshots.name, cron: "*/5 * * * *", run: () => refreshStatsSnapshots() },
  { queue: QUEUES.jiraPoll.name, cron: "*/5 * * * *", run: () => pollIntegrations() },
  // Daily; webhooks within 7 days of expiring are refreshed, so a few failed days do no harm.
  { queue: QUEUES.jiraWebhookRefresh.name, cron: "20 4 * * *", run: () => refreshDynamicWebhooks() },
];
