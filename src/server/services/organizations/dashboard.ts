import "server-only";

import type { Viewer } from "~/server/api/trpc";
import { db } from "~/server/db";
import { LINK_SUMMARY } from "~/server/services/tickets/tickets";

const OPEN_STATUSES = ["OPEN", "IN_PROGRESS"] as const;
const RECENT_TICKETS = 5;

/**
 * What the dashboard shows. Staff: how far the organization has got (Jira connected, a ticket
 * filed, the support center used), what needs attention (issues Jira has not taken, integrations
 * that stopped working) and the latest tickets. Customers: their own requests.
 */
export async function dashboardSummary(viewer: Viewer) {
  const { organizationId } = viewer;
  if (viewer.role === "CUSTOMER") {
    const mine = { organizationId, reporterId: viewer.userId };
    const [open, total] = await Promise.all([
      db.ticket.count({ where: { ...mine, status: { in: [...OPEN_STATUSES] } } }),
      db.ticket.count({ where: mine }),
    ]);
    return { audience: "customer" as const, myTickets: { open, total } };
  }
  const [activeIntegrations, troubled, tickets, portalTickets, failed, retrying, recent] = await Promise.all([
    db.integration.count({ where: { organizationId, deletedAt: null, status: "ACTIVE" } }),
    db.integration.findMany({
      where: { organizationId, deletedAt: null, status: { in: ["ERROR", "EXPIRED", "SUSPENDED"] } },
      orderBy: { statusChangedAt: "desc" },
      select: { id: true, name: true, status: true, statusReason: true },
    }),
    db.ticket.count({ where: { organizationId } }),
    db.ticket.count({ where: { organizationId, source: "PORTAL" } }),
    db.externalIssue.count({ where: { organizationId, syncState: "FAILED" } }),
    db.externalIssue.count({ where: { organizationId, syncState: "PENDING", lastError: { not: null } } }),
    db.ticket.findMany({
      where: { organizationId },
      orderBy: { number: "desc" },
      take: RECENT_TICKETS,
      select: {
        id: true,
        number: true,
        title: true,
        status: true,
        createdAt: true,
        externalIssues: LINK_SUMMARY,
      },
    }),
  ]);
  return {
    audience: "staff" as const,
    steps: { connected: activeIntegrations > 0, filed: tickets > 0, supportUsed: portalTickets > 0 },
    attention: { failedIssues: failed, retryingIssues: retrying, integrations: troubled },
    recent,
  };
}
