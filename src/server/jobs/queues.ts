import "server-only";

import type PgBoss from "pg-boss";

/** The queues this app uses, with pg-boss's own retry, expiry and retention for each. */
export const QUEUES = {
  /**
   * One attempt at creating an external issue. The outbox schedules its own retries (backoff,
   * Retry-After, attempt limit) as new jobs; pg-boss's retry only covers a job that threw or whose
   * worker died (it expires after `expireInSeconds`, longer than an attempt's lease).
   */
  externalIssue: {
    name: "external-issue.create",
    retryLimit: 3,
    retryDelay: 5,
    retryBackoff: true,
    expireInSeconds: 180,
    retentionMinutes: 7 * 24 * 60,
  },
  /** Finds external issues left PENDING with nothing queued for them (say, after a crash). */
  outboxSweep: {
    name: "external-issue.sweep",
    retryLimit: 0,
    expireInSeconds: 120,
    retentionMinutes: 24 * 60,
  },
  /** One attempt at sending a change made in the app (status, assignee, comment) to the external issue. */
  externalChange: {
    name: "external-change.send",
    retryLimit: 3,
    retryDelay: 5,
    retryBackoff: true,
    expireInSeconds: 180,
    retentionMinutes: 7 * 24 * 60,
  },
  /** Processing of one stored, verified webhook delivery. */
  webhookEvent: {
    name: "webhook-event.process",
    retryLimit: 5,
    retryDelay: 5,
    retryBackoff: true,
    expireInSeconds: 120,
    retentionMinutes: 7 * 24 * 60,
  },
  /** Marks open tickets with no update past their priority's resolution target as stale, unmarks the rest. */
  staleTickets: {
    name: "tickets.stale",
    retryLimit: 0,
    expireInSeconds: 300,
    retentionMinutes: 24 * 60,
  },
  /** Stores last week's report for every organization with tickets. */
  weeklyReports: {
    name: "reports.weekly",
    retryLimit: 2,
    retryDelay: 300,
    expireInSeconds: 30 * 60,
    retentionMinutes: 30 * 24 * 60,
  },
  /** Stores every organization's dashboard figures (StatsSnapshot); the next run makes up for a failed one. */
  statsSnapshots: {
    name: "stats.snapshot",
    retryLimit: 0,
    expireInSeconds: 240,
    retentionMinutes: 24 * 60,
  },
  /** Pulls Jira changes for integrations without working webhooks; the next run makes up for a failed one. */
  jiraPoll: {
    name: "jira-sync.poll",
    retryLimit: 0,
    expireInSeconds: 240,
    retentionMinutes: 24 * 60,
  },
  /** Refreshes OAuth integrations' Jira webhooks before Jira drops them (30 days after the last refresh). */
  jiraWebhookRefresh: {
    name: "jira-sync.refresh-webhooks",
    retryLimit: 2,
    retryDelay: 600,
    expireInSeconds: 15 * 60,
    retentionMinutes: 7 * 24 * 60,
  },
} as const satisfies Record<string, PgBoss.Queue>;
