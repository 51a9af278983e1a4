import { describe, expect, it } from "vitest";

import type { Viewer } from "~/server/api/trpc";
import { connectAcmeJira } from "~/test/atlassian";
import { createMember, setupTestDatabase, unique } from "~/test/db";
import { rejection } from "~/test/rejections";

import { addTicketComment, changeTicketStatus } from "./ticket-changes";
import { ticketHistory } from "./ticket-history";
import { createTicket } from "./tickets";

setupTestDatabase();

async function owner(): Promise<Viewer> {
  const session = await createMember("OWNER");
  return { userId: session.user.id, organizationId: session.organization!.id, role: "OWNER" };
}

describe("a ticket's history", () => {
  it("tells the whole story oldest first, the Jira side included, without an internal note's text", async () => {
    const viewer = await owner();
    const integrationId = await connectAcmeJira(viewer);
    const { ticket } = await createTicket(viewer, {
      title: unique("History"),
      category: "bug",
      priority: "high",
      integrationId,
    });
    await changeTicketStatus(viewer, { ticketId: ticket.id, status: "IN_PROGRESS" });
    const secret = unique("only agents may read this");
    await addTicketComment(viewer, { ticketId: ticket.id, body: secret, internal: true });

    const { events, truncated } = await ticketHistory(viewer, ticket.id);

    expect(truncated).toBe(false);
    expect(events.map((event) => event.action)).toEqual([
      "ticket.created",
      "external_issue.created",
      "ticket.status_changed",
      "external_change.sent",
      "ticket.internal_comment_added",
      "external_change.sent",
    ]);
    expect(events[2]).toMatchObject({
      reason: `#${ticket.number}: OPEN → IN_PROGRESS`,
      actor: { name: expect.any(String) },
    });
    expect(JSON.stringify(events)).not.toContain(secret);
  });

  it("is not found from another organization", async () => {
    const viewer = await owner();
    const { ticket } = await createTicket(viewer, {
      title: unique("Private"),
      category: "general",
      priority: "low",
    });
    const outsider = await owner();

    expect(await rejection(ticketHistory(outsider, ticket.id))).toMatchObject({ code: "NOT_FOUND" });
  });
});
