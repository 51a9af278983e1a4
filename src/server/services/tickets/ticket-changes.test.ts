import { describe, expect, it } from "vitest";

import { GRACE } from "../../../../sandbox/test-helpers";

import type { Viewer } from "~/server/api/trpc";
import { db } from "~/server/db";
import { connectAcmeJira, sandboxAdmin } from "~/test/atlassian";
import { createMember, setupTestDatabase, unique } from "~/test/db";

import { addTicketComment, assignTicket, changeTicketStatus, listTicketComments } from "./ticket-changes";
import { createTicket } from "./tickets";
import { rejection } from "~/test/rejections";

/** Status, assignment and comments made in the app, followed by the Jira issue (acme-demo site). */

setupTestDatabase();

type SandboxIssue = {
  key: string;
  statusId: string;
  assigneeId: string | null;
  comments: { id: string; visibility: { type: string; value: string } | null }[];
};

async function sandboxIssue(key: string): Promise<SandboxIssue> {
  const issues = (await sandboxAdmin("/issues?site=acme-demo")).body as SandboxIssue[];
  return issues.find((issue) => issue.key === key)!;
}

async function ticketInJira(): Promise<{ viewer: Viewer; ticketId: string; key: string }> {
  const session = await createMember("OWNER");
  const viewer: Viewer = { userId: session.user.id, organizationId: session.organization!.id, role: "OWNER" };
  const integrationId = await connectAcmeJira(viewer);
  const { ticket, integrationResult } = await createTicket(viewer, {
    title: unique("Sync out"),
    category: "bug",
    priority: "medium",
    integrationId,
  });
  expect(integrationResult?.state).toBe("CREATED");
  return { viewer, ticketId: ticket.id, key: integrationResult!.externalTicketId! };
}

describe("changes made in the app reach Jira", () => {
  it("moves the Jira issue with the transition matching the new status, and remembers the echo", async () => {
    const { viewer, ticketId, key } = await ticketInJira();

    const result = await changeTicketStatus(viewer, { ticketId, status: "IN_PROGRESS" });
    expect(result.externalChanges).toEqual([
      expect.objectContaining({ kind: "TRANSITION", syncState: "CREATED", lastError: null }),
    ]);
    expect((await sandboxIssue(key)).statusId).toBe("3"); // In Progress
    const change = await db.externalChange.findFirstOrThrow({ where: { id: result.externalChanges[0]!.id } });
    expect(change.payload).toMatchObject({ status: "IN_PROGRESS", reached: "In Progress" });
    expect(change.echoUntil!.getTime()).toBeGreaterThan(Date.now());

    await changeTicketStatus(viewer, { ticketId, status: "RESOLVED" });
    expect((await sandboxIssue(key)).statusId).toBe("10001"); // Done
    const link = await db.externalIssue.findFirstOrThrow({ where: { ticketId } });
    expect(link).toMatchObject({ externalStatus: "Done", lastSyncDirection: "OUTBOUND" });

    const audit = await db.auditEvent.findMany({
      where: {
        organizationId: viewer.organizationId,
        action: { in: ["ticket.status_changed", "external_change.sent"] },
      },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((event) => event.action)).toEqual([
      "ticket.status_changed",
      "external_change.sent",
      "ticket.status_changed",
      "external_change.sent",
    ]);
  });

  it("sends internal comments restricted in Jira and public ones to everyone", async () => {
    const { viewer, ticketId, key } = await ticketInJira();
    await addTicketComment(viewer, { ticketId, body: "Customer can read this." });
    await addTicketComment(viewer, { ticketId, body: "Agents only: looks like the cache.", internal: true });

    const comments = await listTicketComments(viewer, ticketId);
    expect(comments.map((comment) => [comment.visibility, comment.externalId !== null])).toEqual([
      ["PUBLIC", true],
      ["INTERNAL", true],
    ]);
    const inJira = (await sandboxIssue(key)).comments;
    expect(inJira.map((comment) => comment.visibility)).toEqual([
      null,
      { type: "role", value: "Administrators" },
    ]);
  });

  it("assigns in Jira through the member's Atlassian account, and keeps members without one internal", async () => {
    const { viewer, ticketId, key } = await ticketInJira();
    const agent = await db.user.create({ data: { name: "Grace", email: `${unique("grace")}@example.test` } });
    await db.membership.create({
      data: { organizationId: viewer.organizationId, userId: agent.id, role: "AGENT" },
    });
    // The assignee must be a real sandbox account on the site, and account ids are unique in the
    // database other test runs share: Grace's (no browser test signs in as her), removed after.
    await db.account.deleteMany({ where: { provider: "atlassian", providerAccountId: GRACE.accountId } });
    await db.account.create({
      data: { userId: agent.id, type: "oauth", provider: "atlassian", providerAccountId: GRACE.accountId },
    });
    try {
      const assigned = await assignTicket(viewer, { ticketId, assigneeId: agent.id });
      expect(assigned.externalChanges).toEqual([
        expect.objectContaining({ kind: "ASSIGN", syncState: "CREATED" }),
      ]);
      expect((await sandboxIssue(key)).assigneeId).toBe(GRACE.accountId);
    } finally {
      await db.account.deleteMany({ where: { provider: "atlassian", providerAccountId: GRACE.accountId } });
    }

    const unlinked = await db.user.create({ data: { name: "Bo", email: `${unique("bo")}@example.test` } });
    await db.membership.create({
      data: { organizationId: viewer.organizationId, userId: unlinked.id, role: "AGENT" },
    });
    const internalOnly = await assignTicket(viewer, { ticketId, assigneeId: unlinked.id });
    expect(internalOnly.externalChanges).toEqual([]);
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticketId } })).assigneeId).toBe(unlinked.id);
  });

  it("refuses bad input and other organizations' tickets, writing nothing", async () => {
    const { viewer, ticketId } = await ticketInJira();
    const stranger = await createMember("OWNER");
    const other: Viewer = {
      userId: stranger.user.id,
      organizationId: stranger.organization!.id,
      role: "OWNER",
    };
    const before = await db.auditEvent.count({ where: { organizationId: viewer.organizationId } });

    expect((await rejection(changeTicketStatus(other, { ticketId, status: "CLOSED" }))).code).toBe(
      "NOT_FOUND",
    );
    expect((await rejection(addTicketComment(other, { ticketId, body: "hi" }))).code).toBe("NOT_FOUND");
    expect((await rejection(listTicketComments(other, ticketId))).code).toBe("NOT_FOUND");
    expect((await rejection(addTicketComment(viewer, { ticketId, body: "   " }))).code).toBe("BAD_REQUEST");
    expect((await rejection(changeTicketStatus(viewer, { ticketId, status: "DONE" as "CLOSED" }))).code).toBe(
      "BAD_REQUEST",
    );
    const outsider = await rejection(assignTicket(viewer, { ticketId, assigneeId: stranger.user.id }));
    expect(outsider.code).toBe("BAD_REQUEST");

    expect(await db.auditEvent.count({ where: { organizationId: viewer.organizationId } })).toBe(before);
    expect(await db.comment.count({ where: { ticketId } })).toBe(0);
    expect((await db.ticket.findUniqueOrThrow({ where: { id: ticketId } })).status).toBe("OPEN");
  });
});
