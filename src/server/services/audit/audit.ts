import "server-only";

import type { Prisma } from "~/generated/prisma/client";
import type { Viewer } from "~/server/api/trpc";
import { db } from "~/server/db";

import { listAuditEventsInput, type ListAuditEventsInput } from "./audit.schema";

/** The organization's audit trail, newest first, one page at a time. */
export async function listAuditEvents(viewer: Viewer, input: ListAuditEventsInput) {
  const { limit, cursor, action, entityType, entityId } = listAuditEventsInput.parse(input);
  const rows = await db.auditEvent.findMany({
    where: {
      organizationId: viewer.organizationId,
      ...(action ? { action: { startsWith: action } } : {}),
      ...(entityType ? { entityType } : {}),
      ...(entityId ? { entityId } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    select: {
      id: true,
      action: true,
      entityType: true,
      entityId: true,
      reason: true,
      before: true,
      after: true,
      createdAt: true,
      actor: { select: { id: true, name: true, email: true } },
    },
  });
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const subjects = await subjectsOf(viewer.organizationId, page);
  const items = page.map((event) => ({
    ...event,
    subject: subjects.get(subjectKey(event.entityType, event.entityId)) ?? null,
  }));
  return { items, nextCursor: hasMore ? items.at(-1)?.id : undefined };
}

/**
 * What an audited entity is called now, and the page that shows it (an external issue's is its
 * ticket's); an event whose entity no longer exists has none.
 */
export type AuditSubject = { label: string; href: string | null };

const ticketHref = (ticketId: string) => `/tickets/${encodeURIComponent(ticketId)}`;

const subjectKey = (entityType: string, entityId: string) => `${entityType}:${entityId}`;

/** The subjects of a page of events: one read per entity type on the page, within the organization. */
async function subjectsOf(
  organizationId: string,
  events: { entityType: string; entityId: string }[],
): Promise<Map<string, AuditSubject>> {
  const idsOf = (entityType: string) => [
    ...new Set(events.filter((event) => event.entityType === entityType).map((event) => event.entityId)),
  ];
  const where = (entityType: string) => ({ organizationId, id: { in: idsOf(entityType) } });
  const [tickets, externalIssues, integrations, organizations] = await Promise.all([
    idsOf("Ticket").length
      ? db.ticket.findMany({ where: where("Ticket"), select: { id: true, number: true, title: true } })
      : [],
    idsOf("ExternalIssue").length
      ? db.externalIssue.findMany({
          where: where("ExternalIssue"),
          select: {
            id: true,
            externalKey: true,
            ticketId: true,
            ticket: { select: { number: true } },
            integration: { select: { name: true } },
          },
        })
      : [],
    idsOf("Integration").length
      ? db.integration.findMany({
          where: where("Integration"),
          select: { id: true, name: true, deletedAt: true },
        })
      : [],
    idsOf("Organization").includes(organizationId)
      ? db.organization.findMany({ where: { id: organizationId }, select: { id: true, name: true } })
      : [],
  ]);
  const subjects = new Map<string, AuditSubject>();
  for (const ticket of tickets)
    subjects.set(subjectKey("Ticket", ticket.id), {
      label: `#${ticket.number} ${ticket.title}`,
      href: ticketHref(ticket.id),
    });
  for (const link of externalIssues) {
    const owner = link.ticket ? `#${link.ticket.number}` : link.integration.name;
    subjects.set(subjectKey("ExternalIssue", link.id), {
      label: link.externalKey ? `${link.externalKey} for ${owner}` : `Issue for ${owner}, not created yet`,
      href: link.ticketId ? ticketHref(link.ticketId) : null,
    });
  }
  for (const integration of integrations) {
    subjects.set(subjectKey("Integration", integration.id), {
      label: integration.deletedAt ? `${integration.name} (deleted)` : integration.name,
      href: integration.deletedAt ? null : `/integrations/${encodeURIComponent(integration.id)}`,
    });
  }
  for (const organization of organizations)
    subjects.set(subjectKey("Organization", organization.id), { label: organization.name, href: null });
  return subjects;
}

export type AuditEntry = {
  organizationId: string;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  reason?: string;
  before?: Prisma.InputJsonValue;
  after?: Prisma.InputJsonValue;
};

export async function recordAuditEvent(entry: AuditEntry, tx: Prisma.TransactionClient = db) {
  await tx.auditEvent.create({ data: entry });
}
