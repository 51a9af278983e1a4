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
  const items = hasMore ? rows.slice(0, limit) : rows;
  return { items, nextCursor: hasMore ? items.at(-1)?.id : undefined };
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
