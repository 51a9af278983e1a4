import "server-only";

import { TICKET_PRIORITIES } from "~/lib/domain";
import { db } from "~/server/db";

import { RESPONSE_TARGETS } from "./ticket-stats";

/**
 * Stale tickets: an open ticket (OPEN or IN_PROGRESS) with no update for longer than its
 * priority's resolution target is marked with the moment it crossed that target; a ticket that
 * was updated since, or is resolved or closed, is unmarked. One statement per run, over every
 * organization, with one audit event per organization whose tickets changed.
 */

export const STALE_AUDIT_ACTION = "ticket.stale_checked";

export type StaleRunResult = { marked: number; cleared: number; organizations: number };

export async function refreshStaleTickets(now: Date = new Date()): Promise<StaleRunResult> {
  const targets = TICKET_PRIORITIES.map((priority) => ({
    priority,
    resolution: RESPONSE_TARGETS[priority].resolution,
  }));
  // Columns are UTC timestamps without a zone; the run's time is given the same way.
  const at = now.toISOString();
  const [result] = await db.$queryRaw<StaleRunResult[]>`
    WITH target AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(targets)}::jsonb) AS t(priority text, resolution int)
    ), wanted AS (
      -- Only rows that can change: open ones, and ones marked now. A priority without a target is never stale.
      SELECT t.id,
             CASE WHEN t.status::text IN ('OPEN', 'IN_PROGRESS')
                   AND t."updatedAt" + make_interval(secs => target.resolution) < (${at}::timestamptz AT TIME ZONE 'UTC')
                  THEN t."updatedAt" + make_interval(secs => target.resolution) END AS stale_since
      FROM "Ticket" t LEFT JOIN target ON target.priority = t.priority
      WHERE t."staleSince" IS NOT NULL OR t.status::text IN ('OPEN', 'IN_PROGRESS')
    ), changed AS (
      -- Raw SQL leaves "updatedAt" alone: being marked is not an update.
      UPDATE "Ticket" t SET "staleSince" = wanted.stale_since
      FROM wanted
      WHERE t.id = wanted.id AND (t."staleSince" IS NULL) <> (wanted.stale_since IS NULL)
      RETURNING t."organizationId", wanted.stale_since IS NOT NULL AS marked
    ), per_organization AS (
      SELECT "organizationId",
             count(*) FILTER (WHERE marked)::int AS marked,
             count(*) FILTER (WHERE NOT marked)::int AS cleared
      FROM changed GROUP BY "organizationId"
    ), audited AS (
      INSERT INTO "AuditEvent" (id, "organizationId", "actorId", action, "entityType", "entityId", reason, after, "createdAt")
      SELECT gen_random_uuid()::text, "organizationId", NULL, ${STALE_AUDIT_ACTION}, 'Organization', "organizationId",
             format('Stale tickets: %s newly stale, %s no longer stale', marked, cleared),
             jsonb_build_object('marked', marked, 'cleared', cleared),
             ${at}::timestamptz AT TIME ZONE 'UTC'
      FROM per_organization
      RETURNING 1
    )
    SELECT coalesce(sum(marked), 0)::int AS marked,
           coalesce(sum(cleared), 0)::int AS cleared,
           (SELECT count(*) FROM audited)::int AS organizations
    FROM per_organization`;
  return result ?? { marked: 0, cleared: 0, organizations: 0 };
}
