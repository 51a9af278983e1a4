import "server-only";

import type { Integration, Prisma } from "~/generated/prisma/client";
import { recordAuditEvent } from "~/server/services/audit/audit";

/** What applying one webhook event works with: its transaction, organization and integration. */
export type SyncScope = {
  tx: Prisma.TransactionClient;
  organizationId: string;
  integration: Integration;
};

export type SyncOutcome = { state: "PROCESSED" | "IGNORED" | "FAILED"; outcome: string };

export const ECHO = "echo of our own change";

export const ignored = (outcome: string): SyncOutcome => ({ state: "IGNORED", outcome });
export const processed = (outcome: string): SyncOutcome => ({ state: "PROCESSED", outcome });

export const notLinked = (issue: string) =>
  `not linked: Jira issue ${issue} is not linked to a ticket of this integration`;

/** The ticket link of a Jira issue, by its immutable id, within this integration and organization. */
export function findLinkedIssue({ tx, organizationId, integration }: SyncScope, externalId: string) {
  return tx.externalIssue.findFirst({
    where: { organizationId, integrationId: integration.id, externalId },
    include: { ticket: true },
  });
}

export type LinkedIssue = NonNullable<Awaited<ReturnType<typeof findLinkedIssue>>>;

/**
 * The member of the organization who signed in with this Atlassian account, if any. Anyone else
 * (a Jira user who is not a member, or a member of another organization) gives null.
 */
export async function memberForAtlassianAccount(
  { tx, organizationId }: SyncScope,
  accountId: string | null | undefined,
): Promise<string | null> {
  if (!accountId) return null;
  const user = await tx.user.findFirst({
    where: {
      accounts: { some: { provider: "atlassian", providerAccountId: accountId } },
      memberships: { some: { organizationId } },
    },
    select: { id: true },
  });
  return user?.id ?? null;
}

/** Changes TicketBridge sent (or is sending) to this issue whose echo may still come back. */
export function changesAwaitingEcho(
  { tx, organizationId }: SyncScope,
  externalIssueId: string,
  kind: "TRANSITION" | "ASSIGN" | "COMMENT",
) {
  return tx.externalChange.findMany({
    where: {
      organizationId,
      externalIssueId,
      kind,
      syncState: { in: ["PENDING", "CREATED"] },
      echoUntil: { gt: new Date() },
    },
    select: { payload: true },
  });
}

/** A field of a stored ExternalChange payload (payloads are JSON objects). */
export function payloadField(payload: Prisma.JsonValue, field: string): unknown {
  return typeof payload === "object" && payload !== null && !Array.isArray(payload)
    ? payload[field]
    : undefined;
}

type InboundChange = {
  ticketId: string;
  reason: string;
  before?: Prisma.InputJsonObject;
  after: Prisma.InputJsonObject;
  externalStatus?: string;
};

/** Every change applied from Jira: the link's sync time and direction, and an audit event. */
export async function recordInboundSync(scope: SyncScope, link: { id: string }, change: InboundChange) {
  const { tx, organizationId } = scope;
  await tx.externalIssue.update({
    where: { id: link.id, organizationId },
    data: {
      lastSyncedAt: new Date(),
      lastSyncDirection: "INBOUND",
      ...(change.externalStatus !== undefined ? { externalStatus: change.externalStatus } : {}),
    },
  });
  await recordAuditEvent(
    {
      organizationId,
      actorId: null,
      action: "ticket.synced_from_jira",
      entityType: "Ticket",
      entityId: change.ticketId,
      reason: change.reason,
      ...(change.before ? { before: change.before } : {}),
      after: change.after,
    },
    tx,
  );
}
