import { describe, expect, it } from "vitest";

import type { Viewer } from "~/server/api/trpc";
import { db } from "~/server/db";
import {
  commentCreated,
  connectJira,
  deliver,
  issueUpdated,
  processEvents,
  statusField,
} from "~/server/services/webhooks/test-support";
import { createMember, setupTestDatabase, unique } from "~/test/db";

import { refreshStaleTickets, STALE_AUDIT_ACTION } from "./stale-tickets";
import { addTicketComment, assignTicket, changeTicketStatus } from "./ticket-changes";
import { createTicket } from "./tickets";

setupTestDatabase();

const HOUR = 3_600_000;
const SECOND = 1_000;

async function organization(): Promise<Viewer> {
  const owner = await createMember("OWNER");
  return { userId: owner.user.id, organizationId: owner.organization!.id, role: "OWNER" };
}

async function ticket(viewer: Viewer, priority: "low" | "medium" | "high" | "critical") {
  const { ticket } = await createTicket(viewer, { title: unique("Stale?"), category: "general", priority });
  return ticket.id;
}

/** Sets the last update time as if nothing had happened since (raw SQL: Prisma would set it to now). */
async function lastUpdated(ticketId: string, at: Date) {
  await db.$executeRaw`UPDATE "Ticket" SET "updatedAt" = (${at.toISOString()}::timestamptz AT TIME ZONE 'UTC') WHERE id = ${ticketId}`;
}

const staleSince = async (ticketId: string) =>
  (await db.ticket.findUniqueOrThrow({ where: { id: ticketId }, select: { staleSince: true } })).staleSince;

const staleAudits = (organizationId: string) =>
  db.auditEvent.findMany({
    where: { organizationId, action: STALE_AUDIT_ACTION },
    orderBy: { createdAt: "asc" },
  });

describe("stale tickets job", () => {
  it("marks open tickets past their priority's resolution target, to the second, and no others", async () => {
    const viewer = await organization();
    const now = new Date(Math.floor(Date.now() / SECOND) * SECOND);
    const targets = { critical: 24 * HOUR, high: 72 * HOUR, medium: 168 * HOUR, low: 168 * HOUR } as const;
    const cases: { id: string; priority: keyof typeof targets; past: boolean; updatedAt: Date }[] = [];
    for (const priority of ["critical", "high", "medium", "low"] as const) {
      for (const past of [true, false]) {
        const id = await ticket(viewer, priority);
        // One second either side of the target.
        const updatedAt = new Date(now.getTime() - targets[priority] + (past ? -SECOND : SECOND));
        await lastUpdated(id, updatedAt);
        cases.push({ id, priority, past, updatedAt });
      }
    }
    // Resolved and closed tickets are never stale, however old.
    const resolved = await ticket(viewer, "critical");
    await changeTicketStatus(viewer, { ticketId: resolved, status: "RESOLVED" });
    await lastUpdated(resolved, new Date(now.getTime() - 30 * 24 * HOUR));

    await refreshStaleTickets(now);

    for (const entry of cases) {
      const since = await staleSince(entry.id);
      // Marked with the moment it crossed the target.
      expect({ priority: entry.priority, since }).toEqual({
        priority: entry.priority,
        since: entry.past ? new Date(entry.updatedAt.getTime() + targets[entry.priority]) : null,
      });
    }
    expect(await staleSince(resolved)).toBeNull();
    const [audit, ...more] = await staleAudits(viewer.organizationId);
    expect(more).toHaveLength(0);
    expect(audit).toMatchObject({
      entityType: "Organization",
      entityId: viewer.organizationId,
      actorId: null,
      after: { marked: 4, cleared: 0 },
    });

    // Nothing changed: no second audit event, and being marked is not an update.
    const before = await db.ticket.findUniqueOrThrow({ where: { id: cases[0]!.id } });
    await refreshStaleTickets(now);
    expect(await staleAudits(viewer.organizationId)).toHaveLength(1);
    expect((await db.ticket.findUniqueOrThrow({ where: { id: cases[0]!.id } })).updatedAt).toEqual(
      before.updatedAt,
    );
  });

  it("is cleared at once by a status change, an assignment or a comment, and by the job after any update", async () => {
    const viewer = await organization();
    const old = new Date(Date.now() - 10 * 24 * HOUR);
    const ids = {
      status: await ticket(viewer, "low"),
      assigned: await ticket(viewer, "high"),
      commented: await ticket(viewer, "critical"),
      touched: await ticket(viewer, "medium"),
      resolvedLater: await ticket(viewer, "medium"),
    };
    for (const id of Object.values(ids)) await lastUpdated(id, old);
    await refreshStaleTickets();
    for (const id of Object.values(ids)) expect(await staleSince(id)).not.toBeNull();

    await changeTicketStatus(viewer, { ticketId: ids.status, status: "IN_PROGRESS" });
    await assignTicket(viewer, { ticketId: ids.assigned, assigneeId: viewer.userId });
    await addTicketComment(viewer, { ticketId: ids.commented, body: "Looking into it." });
    expect(await staleSince(ids.status)).toBeNull();
    expect(await staleSince(ids.assigned)).toBeNull();
    expect(await staleSince(ids.commented)).toBeNull();

    // Updated some other way (a recent update time), or closed behind the app's back: the job unmarks.
    await lastUpdated(ids.touched, new Date());
    await db.$executeRaw`UPDATE "Ticket" SET status = 'CLOSED' WHERE id = ${ids.resolvedLater}`;
    await refreshStaleTickets();
    expect(await staleSince(ids.touched)).toBeNull();
    expect(await staleSince(ids.resolvedLater)).toBeNull();
    // The changed tickets were updated just now, so the job leaves them unmarked.
    for (const id of [ids.status, ids.assigned, ids.commented]) expect(await staleSince(id)).toBeNull();
    expect((await staleAudits(viewer.organizationId)).map(({ after }) => after)).toEqual([
      { marked: 5, cleared: 0 },
      { marked: 0, cleared: 2 },
    ]);
  });

  it("leaves another organization's tickets and audit log alone", async () => {
    const stale = await organization();
    const fresh = await organization();
    const old = await ticket(stale, "critical");
    await lastUpdated(old, new Date(Date.now() - 25 * HOUR));
    const recent = await ticket(fresh, "critical");
    await lastUpdated(recent, new Date(Date.now() - 23 * HOUR));

    await refreshStaleTickets();
    expect(await staleSince(old)).not.toBeNull();
    expect(await staleSince(recent)).toBeNull();
    expect(await staleAudits(stale.organizationId)).toHaveLength(1);
    expect(await staleAudits(fresh.organizationId)).toHaveLength(0);
  });

  it("is cleared when a status change or a comment arrives from Jira", async () => {
    const jiraSide = await connectJira();
    const { ticket: created, integrationResult } = await createTicket(jiraSide.viewer, {
      title: unique("Stale in Jira"),
      category: "general",
      priority: "high",
      integrationId: jiraSide.integrationId,
    });
    expect(integrationResult?.success).toBe(true);
    const link = await db.externalIssue.findUniqueOrThrow({
      where: { id: integrationResult!.externalIssueId },
    });
    const issue = { id: link.externalId!, key: link.externalKey! };
    const markStale = async () => {
      await lastUpdated(created.id, new Date(Date.now() - 4 * 24 * HOUR));
      await refreshStaleTickets();
      expect(await staleSince(created.id)).not.toBeNull();
    };

    await markStale();
    await deliver(
      jiraSide.integrationId,
      issueUpdated(
        issue,
        [{ field: "status", fromString: "To Do", to: "3", toString: "In Progress" }],
        statusField("In Progress", "indeterminate"),
      ),
      { secret: jiraSide.secret },
    );
    await processEvents(jiraSide.integrationId, jiraSide.viewer.organizationId);
    expect(await staleSince(created.id)).toBeNull();

    await markStale();
    await deliver(
      jiraSide.integrationId,
      commentCreated(issue, { id: unique("comment"), body: "Any news?" }),
      { secret: jiraSide.secret },
    );
    await processEvents(jiraSide.integrationId, jiraSide.viewer.organizationId);
    expect(await staleSince(created.id)).toBeNull();
  });
});
