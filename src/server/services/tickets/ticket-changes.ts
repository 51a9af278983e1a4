import "server-only";

import type { z } from "zod";

import { env } from "~/env";
import type { Prisma } from "~/generated/prisma/client";
import type { Viewer } from "~/server/api/trpc";
import { db } from "~/server/db";
import { AppError, parseInput } from "~/server/errors";
import { recordAuditEvent } from "~/server/services/audit/audit";

import { queueExternalChanges, sendExternalChangesNow, type ChangePayload } from "./external-changes";
import { addCommentInput, assignTicketInput, changeStatusInput } from "./tickets.schema";

/**
 * What agents do to a ticket: change its status, assign it, comment. Each change, its audit event
 * and the changes its external issues must follow are written in one transaction; the external
 * side is then tried at once (within the inline deadline) and otherwise by the workers.
 */

const STAFF_ROLES = ["OWNER", "ADMIN", "AGENT"] as const;

async function ticketInOrganization(tx: Prisma.TransactionClient, viewer: Viewer, ticketId: string) {
  // Locked: two agents changing one ticket at once apply one after the other.
  const [ticket] = await tx.$queryRaw<
    { id: string; number: number; status: string; assigneeId: string | null }[]
  >`
    SELECT id, number, status::text AS status, "assigneeId" FROM "Ticket"
    WHERE id = ${ticketId} AND "organizationId" = ${viewer.organizationId} FOR UPDATE`;
  if (!ticket) throw new AppError("NOT_FOUND", "This ticket does not exist.");
  return ticket;
}

/** Runs a ticket change with its external follow-ups, then reports how the external side went. */
async function changeTicket(
  viewer: Viewer,
  ticketId: string,
  write: (tx: Prisma.TransactionClient) => Promise<ChangePayload | null>,
) {
  const changeIds = await db.$transaction(async (tx) => {
    const change = await write(tx);
    return change ? queueExternalChanges(tx, ticketId, change) : [];
  });
  if (changeIds.length > 0) await sendExternalChangesNow(changeIds, env.INLINE_CREATION_DEADLINE_MS);
  const externalChanges = await db.externalChange.findMany({
    where: { id: { in: changeIds }, organizationId: viewer.organizationId },
    select: {
      id: true,
      kind: true,
      syncState: true,
      lastError: true,
      externalIssue: { select: { externalKey: true, url: true } },
    },
  });
  return { ticketId, externalChanges };
}

export async function changeTicketStatus(viewer: Viewer, input: z.input<typeof changeStatusInput>) {
  const { ticketId, status } = parseInput(changeStatusInput, input, "status change");
  return changeTicket(viewer, ticketId, async (tx) => {
    const ticket = await ticketInOrganization(tx, viewer, ticketId);
    if (ticket.status === status) return null;
    const closing = status === "RESOLVED" || status === "CLOSED";
    await tx.ticket.update({
      where: { id: ticketId },
      data: { status, resolvedAt: closing ? new Date() : null, staleSince: null },
    });
    await recordAuditEvent(
      {
        organizationId: viewer.organizationId,
        actorId: viewer.userId,
        action: "ticket.status_changed",
        entityType: "Ticket",
        entityId: ticketId,
        reason: `#${ticket.number}: ${ticket.status} → ${status}`,
        before: { status: ticket.status },
        after: { status },
      },
      tx,
    );
    return { kind: "TRANSITION", status };
  });
}

export async function assignTicket(viewer: Viewer, input: z.input<typeof assignTicketInput>) {
  const { ticketId, assigneeId } = parseInput(assignTicketInput, input, "assignment");
  return changeTicket(viewer, ticketId, async (tx) => {
    const ticket = await ticketInOrganization(tx, viewer, ticketId);
    if (ticket.assigneeId === assigneeId) return null;
    const assignee = assigneeId ? await staffMember(tx, viewer, assigneeId) : null;
    await tx.ticket.update({ where: { id: ticketId }, data: { assigneeId, staleSince: null } });
    await recordAuditEvent(
      {
        organizationId: viewer.organizationId,
        actorId: viewer.userId,
        action: "ticket.assigned",
        entityType: "Ticket",
        entityId: ticketId,
        reason: assignee ? `#${ticket.number} assigned to ${assignee.name}` : `#${ticket.number} unassigned`,
        before: { assigneeId: ticket.assigneeId },
        after: { assigneeId },
      },
      tx,
    );
    // In Jira the assignee is the member's Atlassian account; a member without one stays internal.
    if (assignee && !assignee.atlassianAccountId) return null;
    return { kind: "ASSIGN", accountId: assignee?.atlassianAccountId ?? null, name: assignee?.name ?? null };
  });
}

async function staffMember(tx: Prisma.TransactionClient, viewer: Viewer, userId: string) {
  const membership = await tx.membership.findFirst({
    where: { organizationId: viewer.organizationId, userId, role: { in: [...STAFF_ROLES] } },
    select: {
      user: {
        select: {
          name: true,
          email: true,
          accounts: { where: { provider: "atlassian" }, select: { providerAccountId: true } },
        },
      },
    },
  });
  if (!membership) {
    throw new AppError(
      "BAD_REQUEST",
      "Tickets can only be assigned to agents and admins of this organization.",
      {
        fieldErrors: { assigneeId: "Choose an agent or admin." },
      },
    );
  }
  const { user } = membership;
  return {
    name: user.name ?? user.email ?? "a member",
    atlassianAccountId: user.accounts[0]?.providerAccountId ?? null,
  };
}

export async function addTicketComment(viewer: Viewer, input: z.input<typeof addCommentInput>) {
  const { ticketId, body, internal } = parseInput(addCommentInput, input, "comment");
  return postComment(viewer, ticketId, body, internal);
}

/** Writes a comment the viewer may post on this ticket (checked by the caller) and sends it on. */
export async function postComment(viewer: Viewer, ticketId: string, body: string, internal: boolean) {
  let commentId = "";
  const result = await changeTicket(viewer, ticketId, async (tx) => {
    const ticket = await ticketInOrganization(tx, viewer, ticketId);
    const comment = await tx.comment.create({
      data: {
        organizationId: viewer.organizationId,
        ticketId,
        authorId: viewer.userId,
        body,
        visibility: internal ? "INTERNAL" : "PUBLIC",
      },
      select: { id: true },
    });
    commentId = comment.id;
    // A comment is activity: the ticket is no longer stale (and its update time moves on).
    await tx.ticket.update({ where: { id: ticketId }, data: { staleSince: null } });
    // The team's first public answer starts the response-time clock's stop.
    if (!internal && viewer.role !== "CUSTOMER") {
      await tx.ticket.updateMany({
        where: {
          id: ticketId,
          firstResponseAt: null,
          OR: [{ reporterId: null }, { reporterId: { not: viewer.userId } }],
        },
        data: { firstResponseAt: new Date() },
      });
    }
    await recordAuditEvent(
      {
        organizationId: viewer.organizationId,
        actorId: viewer.userId,
        action: internal ? "ticket.internal_comment_added" : "ticket.comment_added",
        entityType: "Ticket",
        entityId: ticketId,
        reason: `#${ticket.number}`,
        after: { commentId: comment.id },
      },
      tx,
    );
    return { kind: "COMMENT", commentId: comment.id };
  });
  return { ...result, commentId };
}

/** The ticket's conversation, oldest first; staff see internal comments, marked as such. */
export async function listTicketComments(viewer: Viewer, ticketId: string) {
  const ticket = await db.ticket.findFirst({
    where: { id: ticketId, organizationId: viewer.organizationId },
    select: { id: true },
  });
  if (!ticket) throw new AppError("NOT_FOUND", "This ticket does not exist.");
  return db.comment.findMany({
    where: { ticketId, organizationId: viewer.organizationId },
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      body: true,
      visibility: true,
      source: true,
      externalId: true,
      authorName: true,
      createdAt: true,
      author: { select: { id: true, name: true, email: true } },
    },
  });
}

/** Who a ticket can be assigned to: the organization's agents and admins. */
export async function listAssignableMembers(viewer: Viewer) {
  const memberships = await db.membership.findMany({
    where: { organizationId: viewer.organizationId, role: { in: [...STAFF_ROLES] } },
    orderBy: { createdAt: "asc" },
    select: {
      role: true,
      user: {
        select: {
          id: true,
          name: true,
          email: true,
          accounts: { where: { provider: "atlassian" }, select: { provider: true } },
        },
      },
    },
  });
  return memberships.map(({ role, user }) => ({
    id: user.id,
    name: user.name ?? user.email ?? "Member",
    email: user.email,
    role,
    linkedToJira: user.accounts.length > 0,
  }));
}
