import "server-only";

import { Prisma } from "~/generated/prisma/client";
import { TICKET_PRIORITIES, type TicketPriority } from "~/lib/domain";
import type { Viewer } from "~/server/api/trpc";
import { db } from "~/server/db";

/**
 * The support overview: counts, response and resolution times against their targets, and tickets
 * opened vs resolved per day. All of it is aggregated in the database; no ticket is loaded.
 */

const HOUR = 3_600;
/** Targets in seconds, per priority. */
export const RESPONSE_TARGETS: Record<TicketPriority, { firstResponse: number; resolution: number }> = {
  critical: { firstResponse: 4 * HOUR, resolution: 24 * HOUR },
  high: { firstResponse: 4 * HOUR, resolution: 72 * HOUR },
  medium: { firstResponse: 24 * HOUR, resolution: 7 * 24 * HOUR },
  low: { firstResponse: 24 * HOUR, resolution: 7 * 24 * HOUR },
};

type Counts = {
  total: number;
  openBugs: number;
  openFeatures: number;
  openSupport: number;
  openHigh: number;
  openCritical: number;
  /** Open tickets marked stale: past their priority's target with no update. */
  stale: number;
};

type PriorityTimes = {
  priority: TicketPriority;
  responded: number;
  medianFirstResponseSeconds: number | null;
  firstResponseWithinTarget: number;
  resolved: number;
  medianResolutionSeconds: number | null;
  resolutionWithinTarget: number;
};

/** How often the scheduled job stores every organization's figures. */
export const SNAPSHOT_INTERVAL_MINUTES = 5;
/**
 * Up to this many tickets every figure is computed on each read; above it, response times and
 * the daily chart come from the stored snapshot while the counts stay live. Measured on
 * PostgreSQL (`npm run bench:dashboard`): all figures take about 350 ms on 100,000 tickets,
 * so roughly 17 ms on 5,000.
 */
export const LIVE_STATS_MAX_TICKETS = 5_000;
/** A snapshot older than this (say, the job is not running) is recomputed when read. */
const SNAPSHOT_MAX_AGE_MS = 3 * SNAPSHOT_INTERVAL_MINUTES * 60_000;
const CHART_DAYS = 30;

/**
 * The counts, always live: one index-only count of all tickets and one pass over the open ones
 * (index on organization and status), so a ticket just filed or closed shows at once.
 */
async function liveCounts(organizationId: string): Promise<Counts> {
  const [counts] = await db.$queryRaw<Counts[]>`
    SELECT (SELECT count(*) FROM "Ticket" WHERE "organizationId" = ${organizationId})::int AS total,
           count(*) FILTER (WHERE type = 'BUG')::int AS "openBugs",
           count(*) FILTER (WHERE type = 'FEATURE')::int AS "openFeatures",
           count(*) FILTER (WHERE type = 'SUPPORT')::int AS "openSupport",
           count(*) FILTER (WHERE priority = 'high')::int AS "openHigh",
           count(*) FILTER (WHERE priority = 'critical')::int AS "openCritical",
           count(*) FILTER (WHERE "staleSince" IS NOT NULL)::int AS stale
    FROM "Ticket" WHERE "organizationId" = ${organizationId} AND status IN ('OPEN', 'IN_PROGRESS')`;
  return counts!;
}

/** Tickets opened and resolved per day over the last `days` days, in one pass over each. */
async function openedVsResolved(organizationId: string, days: number) {
  const rows = await db.$queryRaw<{ day: Date; opened: number; resolved: number }[]>`
    WITH days AS (
      SELECT generate_series(date_trunc('day', now()) - make_interval(days => ${days - 1}), date_trunc('day', now()), interval '1 day') AS day
    ), opened AS MATERIALIZED (
      SELECT "createdAt" AS at FROM "Ticket"
      WHERE "organizationId" = ${organizationId} AND "createdAt" >= (SELECT min(day) FROM days)
    ), resolved AS MATERIALIZED (
      SELECT "resolvedAt" AS at FROM "Ticket"
      WHERE "organizationId" = ${organizationId} AND "resolvedAt" >= (SELECT min(day) FROM days)
    )
    SELECT days.day,
           (SELECT count(*) FROM opened WHERE at >= days.day AND at < days.day + interval '1 day')::int AS opened,
           (SELECT count(*) FROM resolved WHERE at >= days.day AND at < days.day + interval '1 day')::int AS resolved
    FROM days ORDER BY days.day`;
  return rows.map(({ day, opened, resolved }) => ({
    day: day.toISOString().slice(0, 10),
    opened,
    resolved,
  }));
}

type Figures = {
  counts: Counts;
  times: Awaited<ReturnType<typeof responseTimesByPriority>>;
  perDay: Awaited<ReturnType<typeof openedVsResolved>>;
};

async function computeFigures(organizationId: string, days: number): Promise<Figures> {
  const [counts, times, perDay] = await Promise.all([
    liveCounts(organizationId),
    responseTimesByPriority(organizationId),
    openedVsResolved(organizationId, days),
  ]);
  return { counts, times, perDay };
}

/** Computes an organization's figures and stores them as its snapshot. */
export async function storeStatsSnapshot(organizationId: string) {
  const computedAt = new Date();
  const figures = await computeFigures(organizationId, CHART_DAYS);
  const stats = figures as unknown as Prisma.InputJsonObject;
  await db.statsSnapshot.upsert({
    where: { organizationId },
    create: { organizationId, stats, computedAt },
    update: { stats, computedAt },
  });
  return { ...figures, computedAt };
}

/** The scheduled job: every organization with tickets gets fresh figures, one at a time. */
export async function refreshStatsSnapshots(): Promise<{ organizations: number }> {
  const organizations = await db.$queryRaw<{ id: string }[]>`
    SELECT o.id FROM "Organization" o
    WHERE EXISTS (SELECT 1 FROM "Ticket" t WHERE t."organizationId" = o.id)`;
  for (const { id } of organizations) await storeStatsSnapshot(id);
  return { organizations: organizations.length };
}

const sameDay = (a: Date, b: Date) => a.toISOString().slice(0, 10) === b.toISOString().slice(0, 10);

/**
 * The support overview. Counts are always live. Response times and the daily chart are live too
 * for organizations up to LIVE_STATS_MAX_TICKETS tickets (`computedAt: null`); larger ones read
 * them from the snapshot the job stores every 5 minutes (`computedAt` says when), recomputed here
 * when it is missing, from another day, or older than three intervals.
 */
export async function ticketStats(viewer: Viewer, { days = CHART_DAYS }: { days?: number } = {}) {
  const organizationId = viewer.organizationId;
  const counts = await liveCounts(organizationId);
  if (counts.total <= LIVE_STATS_MAX_TICKETS || days !== CHART_DAYS) {
    const [times, perDay] = await Promise.all([
      responseTimesByPriority(organizationId),
      openedVsResolved(organizationId, days),
    ]);
    return { counts, times, perDay, computedAt: null };
  }
  const snapshot = await db.statsSnapshot.findUnique({ where: { organizationId } });
  const now = new Date();
  if (
    !snapshot ||
    now.getTime() - snapshot.computedAt.getTime() > SNAPSHOT_MAX_AGE_MS ||
    !sameDay(snapshot.computedAt, now)
  ) {
    const fresh = await storeStatsSnapshot(organizationId);
    return { ...fresh, counts };
  }
  const stored = snapshot.stats as unknown as Figures;
  return { counts, times: stored.times, perDay: stored.perDay, computedAt: snapshot.computedAt };
}

/** Recomputes the snapshot now (the overview's "Refresh"); agents see the new figures at once. */
export async function refreshTicketStats(viewer: Viewer) {
  await storeStatsSnapshot(viewer.organizationId);
  return ticketStats(viewer);
}

/**
 * Median first response and resolution per priority, with how many met their target. With a
 * period, only responses and resolutions that happened in it count (the weekly report).
 */
export async function responseTimesByPriority(organizationId: string, period?: { start: Date; end: Date }) {
  const targets = TICKET_PRIORITIES.map((priority) => ({ priority, ...RESPONSE_TARGETS[priority] }));
  const within = (column: string) =>
    period
      ? Prisma.sql`${Prisma.raw(`t."${column}"`)} >= (${period.start.toISOString()}::timestamptz AT TIME ZONE 'UTC')
          AND ${Prisma.raw(`t."${column}"`)} < (${period.end.toISOString()}::timestamptz AT TIME ZONE 'UTC')`
      : Prisma.sql`true`;
  const times = await db.$queryRaw<PriorityTimes[]>`
    WITH target AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(targets)}::jsonb)
        AS t(priority text, "firstResponse" int, resolution int)
    ), timed AS (
      SELECT t.priority,
             CASE WHEN ${within("firstResponseAt")} THEN extract(epoch FROM t."firstResponseAt" - t."createdAt") END AS first_response,
             CASE WHEN ${within("resolvedAt")} THEN extract(epoch FROM t."resolvedAt" - t."createdAt") END AS resolution
      FROM "Ticket" t WHERE t."organizationId" = ${organizationId}
    )
    SELECT target.priority,
           count(timed.first_response)::int AS responded,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY timed.first_response) AS "medianFirstResponseSeconds",
           count(*) FILTER (WHERE timed.first_response <= target."firstResponse")::int AS "firstResponseWithinTarget",
           count(timed.resolution)::int AS resolved,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY timed.resolution) AS "medianResolutionSeconds",
           count(*) FILTER (WHERE timed.resolution <= target.resolution)::int AS "resolutionWithinTarget"
    FROM target LEFT JOIN timed ON timed.priority = target.priority
    GROUP BY target.priority`;
  return TICKET_PRIORITIES.map((priority) => {
    const row = times.find((entry) => entry.priority === priority);
    return {
      priority,
      targets: RESPONSE_TARGETS[priority],
      responded: row?.responded ?? 0,
      medianFirstResponseSeconds: row?.medianFirstResponseSeconds ?? null,
      firstResponseWithinTarget: row?.firstResponseWithinTarget ?? 0,
      resolved: row?.resolved ?? 0,
      medianResolutionSeconds: row?.medianResolutionSeconds ?? null,
      resolutionWithinTarget: row?.resolutionWithinTarget ?? 0,
    };
  });
}
