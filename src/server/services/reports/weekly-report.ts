import "server-only";

import type { Prisma } from "~/generated/prisma/client";
import { TICKET_PRIORITIES, type TicketPriority } from "~/lib/domain";
import { db } from "~/server/db";
import { logger } from "~/server/logger";
import { responseTimesByPriority } from "~/server/services/tickets/ticket-stats";

import { toCsv } from "./csv";

/**
 * The weekly report of one organization: a week runs from Monday 00:00 UTC to the next Monday.
 * Figures are SQL aggregates; only the CSV lists tickets, those opened or resolved in the week.
 * Stored once per organization and week: generating it again replaces it.
 */

export const WEEKLY = "weekly";
const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const TICKET_TYPES = ["BUG", "FEATURE", "SUPPORT"] as const;

export type WeekPeriod = { start: Date; end: Date };

/** The week (Monday to Monday, UTC) that `date` falls in. */
export function weekOf(date: Date): WeekPeriod {
  const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  const sinceMonday = (new Date(midnight).getUTCDay() + 6) % 7;
  const start = new Date(midnight - sinceMonday * DAY_MS);
  return { start, end: new Date(start.getTime() + WEEK_MS) };
}

/** The week before the one `date` falls in. */
export function weekBefore(date: Date): WeekPeriod {
  return weekOf(new Date(weekOf(date).start.getTime() - DAY_MS));
}

type Counts = { opened: number; resolved: number; openAtEnd: number };

export type WeeklySummary = {
  periodStart: string;
  /** The end of the week, or the time of generation for the week still running. */
  periodEnd: string;
  complete: boolean;
  generatedAt: string;
  totals: Counts & { stale: number };
  byType: ({ type: (typeof TICKET_TYPES)[number] } & Counts)[];
  byPriority: ({ priority: TicketPriority } & Counts)[];
  times: Awaited<ReturnType<typeof responseTimesByPriority>>;
};

/** Computes the week's figures and CSV and stores them (replacing an earlier run for that week). */
export async function storeWeeklyReport(organizationId: string, week: WeekPeriod, now: Date = new Date()) {
  // A week still running is reported up to now; its figures say as much.
  const end = now < week.end ? now : week.end;
  const period = { start: week.start, end };
  const [summary, csv] = await Promise.all([
    weeklySummary(organizationId, period, now, end.getTime() === week.end.getTime()),
    weeklyCsv(organizationId, period),
  ]);
  const data = { periodEnd: end, summary: summary as unknown as Prisma.InputJsonValue, csv };
  return db.report.upsert({
    where: { organizationId_kind_periodStart: { organizationId, kind: WEEKLY, periodStart: week.start } },
    create: { organizationId, kind: WEEKLY, periodStart: week.start, ...data },
    update: data,
    select: { id: true, periodStart: true, periodEnd: true },
  });
}

const utc = (date: Date) => date.toISOString();

async function weeklySummary(
  organizationId: string,
  period: WeekPeriod,
  now: Date,
  complete: boolean,
): Promise<WeeklySummary> {
  const start = utc(period.start);
  const end = utc(period.end);
  // Open at the end: created before it and not resolved by then (a ticket closed without a
  // resolution time counts by its status).
  const groups = await db.$queryRaw<({ type: string; priority: string } & Counts)[]>`
    WITH bounds AS (
      SELECT (${start}::timestamptz AT TIME ZONE 'UTC') AS start, (${end}::timestamptz AT TIME ZONE 'UTC') AS "end"
    )
    SELECT t.type::text AS type, t.priority,
           count(*) FILTER (WHERE t."createdAt" >= bounds.start)::int AS opened,
           count(*) FILTER (WHERE t."resolvedAt" >= bounds.start AND t."resolvedAt" < bounds."end")::int AS resolved,
           count(*) FILTER (WHERE CASE WHEN t."resolvedAt" IS NOT NULL THEN t."resolvedAt" >= bounds."end"
                                       ELSE t.status::text IN ('OPEN', 'IN_PROGRESS') END)::int AS "openAtEnd"
    FROM "Ticket" t, bounds
    WHERE t."organizationId" = ${organizationId} AND t."createdAt" < bounds."end"
    GROUP BY t.type, t.priority`;
  // Stale now and already by the end of the period (stale marks are kept only while they hold).
  const [stale] = await db.$queryRaw<{ stale: number }[]>`
    SELECT count(*)::int AS stale FROM "Ticket"
    WHERE "organizationId" = ${organizationId}
      AND "staleSince" < (${end}::timestamptz AT TIME ZONE 'UTC')`;
  const times = await responseTimesByPriority(organizationId, period);

  const sum = (rows: Counts[]): Counts => ({
    opened: rows.reduce((total, row) => total + row.opened, 0),
    resolved: rows.reduce((total, row) => total + row.resolved, 0),
    openAtEnd: rows.reduce((total, row) => total + row.openAtEnd, 0),
  });
  return {
    periodStart: start,
    periodEnd: end,
    complete,
    generatedAt: utc(now),
    totals: { ...sum(groups), stale: stale?.stale ?? 0 },
    byType: TICKET_TYPES.map((type) => ({ type, ...sum(groups.filter((row) => row.type === type)) })),
    byPriority: TICKET_PRIORITIES.map((priority) => ({
      priority,
      ...sum(groups.filter((row) => row.priority === priority)),
    })),
    times,
  };
}

export const CSV_HEADER = [
  "Number",
  "Title",
  "Type",
  "Priority",
  "Status",
  "Reporter",
  "Created",
  "First response",
  "Resolved",
  "External key",
] as const;

async function weeklyCsv(organizationId: string, period: WeekPeriod): Promise<string> {
  const start = utc(period.start);
  const end = utc(period.end);
  const rows = await db.$queryRaw<
    {
      number: number;
      title: string;
      type: string;
      priority: string;
      status: string;
      reporter: string | null;
      createdAt: Date;
      firstResponseAt: Date | null;
      resolvedAt: Date | null;
      externalKey: string | null;
    }[]
  >`
    WITH bounds AS (
      SELECT (${start}::timestamptz AT TIME ZONE 'UTC') AS start, (${end}::timestamptz AT TIME ZONE 'UTC') AS "end"
    )
    SELECT t.number, t.title, t.type::text AS type, t.priority, t.status::text AS status,
           coalesce(u.name, u.email) AS reporter,
           t."createdAt", t."firstResponseAt", t."resolvedAt",
           (SELECT e."externalKey" FROM "ExternalIssue" e
             WHERE e."ticketId" = t.id AND e."externalKey" IS NOT NULL
             ORDER BY e."createdAt" LIMIT 1) AS "externalKey"
    FROM "Ticket" t CROSS JOIN bounds LEFT JOIN "User" u ON u.id = t."reporterId"
    WHERE t."organizationId" = ${organizationId}
      AND ((t."createdAt" >= bounds.start AND t."createdAt" < bounds."end")
        OR (t."resolvedAt" >= bounds.start AND t."resolvedAt" < bounds."end"))
    ORDER BY t.number`;
  return toCsv(
    CSV_HEADER,
    rows.map((row) => [
      row.number,
      row.title,
      row.type,
      row.priority,
      row.status,
      row.reporter,
      row.createdAt,
      row.firstResponseAt,
      row.resolvedAt,
      row.externalKey,
    ]),
  );
}

/**
 * The scheduled run (Mondays): last week's report for every organization that had tickets by
 * then. One organization's failure is logged and does not stop the others; the job fails at the
 * end so pg-boss records it.
 */
export async function runWeeklyReports(now: Date = new Date()) {
  const week = weekBefore(now);
  const organizations = await db.$queryRaw<{ organizationId: string }[]>`
    SELECT DISTINCT "organizationId" FROM "Ticket"
    WHERE "createdAt" < (${utc(week.end)}::timestamptz AT TIME ZONE 'UTC')`;
  let stored = 0;
  const failed: string[] = [];
  for (const { organizationId } of organizations) {
    try {
      await storeWeeklyReport(organizationId, week, now);
      stored++;
    } catch (err) {
      logger.error({ err, organizationId }, "weekly report failed");
      failed.push(organizationId);
    }
  }
  if (failed.length > 0) {
    throw new Error(
      `The weekly report failed for ${failed.length} of ${organizations.length} organizations.`,
    );
  }
  return { week: { start: utc(week.start), end: utc(week.end) }, stored };
}
