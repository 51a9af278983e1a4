import { describe, expect, it } from "vitest";

import { db } from "~/server/db";
import { connectAcmeJira } from "~/test/atlassian";
import { createMember, setupTestDatabase, unique } from "~/test/db";

import { deleteIntegration } from "../integrations/integrations";
import { createTicket } from "../tickets/tickets";
import { listAuditEvents, recordAuditEvent } from "./audit";

setupTestDatabase();

describe("the audit log", () => {
  it("names each event's entity as it is now, with the page that shows it", async () => {
    const member = await createMember("OWNER");
    const organizationId = member.organization!.id;
    const viewer = { userId: member.user.id, organizationId, role: "OWNER" as const };
    const name = unique("Jira");
    const integrationId = await connectAcmeJira(viewer, { name });
    const filed = await createTicket(viewer, {
      title: "Checkout fails",
      category: "bug",
      priority: "high",
      integrationId,
    });
    const gone = await createTicket(viewer, {
      title: "Filed in error",
      category: "general",
      priority: "low",
    });
    await db.ticket.delete({ where: { id: gone.ticket.id } });
    await recordAuditEvent({
      organizationId,
      actorId: viewer.userId,
      action: "organization.renamed",
      entityType: "Organization",
      entityId: organizationId,
    });

    const subjectOf = async (entityType: string, entityId: string) => {
      const { items } = await listAuditEvents(viewer, { entityType, entityId });
      expect(items.length).toBeGreaterThan(0);
      return items[0]!.subject;
    };
    const key = filed.integrationResult!.externalTicketId!;
    expect(await subjectOf("Ticket", filed.ticket.id)).toEqual({
      label: `#${filed.ticket.number} Checkout fails`,
      href: `/tickets/${filed.ticket.id}`,
    });
    expect(await subjectOf("ExternalIssue", filed.integrationResult!.externalIssueId)).toEqual({
      label: `${key} for #${filed.ticket.number}`,
      href: `/tickets/${filed.ticket.id}`,
    });
    expect(await subjectOf("Integration", integrationId)).toEqual({
      label: name,
      href: `/integrations/${integrationId}`,
    });
    const organization = await db.organization.findUniqueOrThrow({ where: { id: organizationId } });
    expect(await subjectOf("Organization", organizationId)).toEqual({ label: organization.name, href: null });
    expect(await subjectOf("Ticket", gone.ticket.id)).toBeNull();

    await deleteIntegration(viewer, integrationId);
    expect(await subjectOf("Integration", integrationId)).toEqual({
      label: `${name} (deleted)`,
      href: null,
    });
  });

  it("names nothing of another organization's, even for an event that points at it", async () => {
    const mine = await createMember("OWNER");
    const theirs = await createMember("OWNER");
    const viewer = { userId: mine.user.id, organizationId: mine.organization!.id, role: "OWNER" as const };
    const other = { userId: theirs.user.id, organizationId: theirs.organization!.id, role: "OWNER" as const };
    const { ticket } = await createTicket(other, {
      title: "Their secret",
      category: "general",
      priority: "low",
    });
    await recordAuditEvent({
      organizationId: viewer.organizationId,
      actorId: viewer.userId,
      action: "ticket.viewed",
      entityType: "Ticket",
      entityId: ticket.id,
    });
    const { items } = await listAuditEvents(viewer, { entityId: ticket.id });
    expect(items).toHaveLength(1);
    expect(items[0]!.subject).toBeNull();
  });
});
