import "server-only";

import type { Viewer } from "~/server/api/trpc";
import { db } from "~/server/db";
import { AppError } from "~/server/errors";

/** More than any ticket's page needs; older events stay in the audit log. */
export const HISTORY_LIMIT = 200;

/**
 * Everything that happened to a ticket, oldest first: its own events (filed, status, assignee,
 * comments, changes synced in from Jira) and those of its external issues (created, retried,
 * adopted, failed, changes sent). Staff only: internal notes appear as events, never their text.
 */
export async function ticketHistory(viewer: Viewer, ticketId: string) {
  const ticket = await db.ticket.findFirst({
    where: { id: ticketId, organizationId: viewer.organizationId },
    select: { id: true, externalIssues: { select: { id: true } } },
  });
  if (!ticket) throw new AppError("NOT_FOUND", "This ticket does not exist in your organization.");
  const newestFirst = await db.auditEvent.findMany({
    where: {
      organizationId: viewer.organizationId,
      OR: [
        { entityType: "Ticket", entityId: ticket.id },
        { entityType: "ExternalIssue", entityId: { in: ticket.externalIssues.map((link) => link.id) } },
      ],
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: HISTORY_LIMIT + 1,
    select: {
      id: true,
      action: true,
      entityType: true,
      entityId: true,
      reason: true,
      createdAt: true,
      actor: { select: { name: true, email: true } },
    },
  });
  const truncated = newestFirst.length > HISTORY_LIMIT;
  return { events: newestFirst.slice(0, HISTORY_LIMIT).reverse(), truncated };
}
