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

const OPEN = ["OPEN", "IN_PROGRESS"];

type Counts = {
  total: number;
  openBugs: number;
  openFeatures: number;
  openSupport: number;
  openHigh: number;
  openCritical: number;
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

export async function ticketStats(viewer: Viewer, { days = 30 }: { days?: number } = {}) {
  const organizationId = viewer.organizationId;
  const [counts] = await db.$queryRaw<Counts[]>`
    SELECT count(*)::int AS total,
           count(*) FILTER (WHERE type = 'BUG' AND status::text = ANY(${OPEN}))::int AS "openBugs",
           count(*) FILTER (WHERE type = 'FEATURE' AND status::text = ANY(${OPEN}))::int AS "openFeatures",
           count(*) FILTER (WHERE type = 'SUPPORT' AND status::text = ANY(${OPEN}))::int AS "openSupport",
           count(*) FILTER (WHERE priority = 'high' AND status::text = ANY(${OPEN}))::int AS "openHigh",
           count(*) FILTER (WHERE priority = 'critical' AND status::text = ANY(${OPEN}))::int AS "openCritical"
    FROM "Ticket" WHERE "organizationId" = ${organizationId}`;

  const times = await responseTimesByPriority(organizationId);

  const perDay = await db.$queryRaw<{ day: Date; opened: number; resolved: number }[]>`
    WITH days AS (
      SELECT generate_series(date_trunc('day', now()) - make_interval(days => ${days - 1}), date_trunc('day', now()), interval '1 day') AS day
    )
    SELECT days.day,
           (SELECT count(*) FROM "Ticket" t WHERE t."organizationId" = ${organizationId}
              AND t."createdAt" >= days.day AND t."createdAt" < days.day + interval '1 day')::int AS opened,
           (SELECT count(*) FROM "Ticket" t WHERE t."organizationId" = ${organizationId}
              AND t."resolvedAt" >= days.day AND t."resolvedAt" < days.day + interval '1 day')::int AS resolved
    FROM days ORDER BY days.day`;

  return {
    counts: counts!,
    times,
    perDay: perDay.map(({ day, opened, resolved }) => ({
      day: day.toISOString().slice(0, 10),
      opened,
      resolved,
    })),
  };
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
