import { describe, expect, it } from "vitest";

import { db } from "~/server/db";
import { connectAcmeJira } from "~/test/atlassian";
import { createMember, setupTestDatabase, unique } from "~/test/db";

import { createTicket, fileTicket } from "../tickets/tickets";
import { dashboardSummary } from "./dashboard";

setupTestDatabase();

async function owner() {
  const member = await createMember("OWNER");
  return { userId: member.user.id, organizationId: member.organization!.id, role: "OWNER" as const };
}

describe("the dashboard", () => {
  it("follows an organization from its first steps to what needs attention", async () => {
    const viewer = await owner();
    expect(await dashboardSummary(viewer)).toEqual({
      audience: "staff",
      steps: { connected: false, filed: false, supportUsed: false },
      attention: { failedIssues: 0, retryingIssues: 0, integrations: [] },
      recent: [],
    });

    const integrationId = await connectAcmeJira(viewer);
    const filed = await createTicket(viewer, {
      title: "Checkout fails",
      category: "bug",
      priority: "high",
      integrationId,
    });
    const internal = await createTicket(viewer, { title: "Call back", category: "general", priority: "low" });

    const summary = await dashboardSummary(viewer);
    expect(summary).toMatchObject({
      steps: { connected: true, filed: true, supportUsed: false },
      attention: { failedIssues: 0, retryingIssues: 0, integrations: [] },
    });
    if (summary.audience !== "staff") throw new Error("expected the staff dashboard");
    expect(summary.recent.map((ticket) => ticket.number)).toEqual([
      internal.ticket.number,
      filed.ticket.number,
    ]);
    expect(summary.recent[1]!.externalIssues).toMatchObject([
      { syncState: "CREATED", externalKey: filed.integrationResult!.externalTicketId },
    ]);

    await db.externalIssue.update({
      where: { id: filed.integrationResult!.externalIssueId },
      data: { syncState: "FAILED", lastError: "Jira said no" },
    });
    await db.integration.update({
      where: { id: integrationId },
      data: { status: "EXPIRED", statusReason: "The API token was revoked." },
    });
    expect(await dashboardSummary(viewer)).toMatchObject({
      steps: { connected: false },
      attention: {
        failedIssues: 1,
        retryingIssues: 0,
        integrations: [{ id: integrationId, status: "EXPIRED", statusReason: "The API token was revoked." }],
      },
    });
    // Nothing of another organization's shows.
    expect(await dashboardSummary(await owner())).toMatchObject({
      recent: [],
      attention: { failedIssues: 0 },
    });
  });

  it("shows a customer only their own requests", async () => {
    const staff = await owner();
    const customer = await db.user.create({
      data: { name: "Cleo", email: `${unique("cleo")}@example.test` },
    });
    await db.membership.create({
      data: { organizationId: staff.organizationId, userId: customer.id, role: "CUSTOMER" },
    });
    const viewer = { userId: customer.id, organizationId: staff.organizationId, role: "CUSTOMER" as const };
    await createTicket(staff, { title: "Staff's own", category: "general", priority: "low" });
    const { ticket: mine } = await fileTicket(
      viewer,
      { title: "Mine", description: "", category: "general", priority: "low", source: "PORTAL" },
      null,
    );
    expect(await dashboardSummary(viewer)).toEqual({
      audience: "customer",
      myTickets: { open: 1, total: 1 },
    });
    await db.ticket.update({ where: { id: mine.id }, data: { status: "RESOLVED" } });
    expect(await dashboardSummary(viewer)).toEqual({
      audience: "customer",
      myTickets: { open: 0, total: 1 },
    });
  });
});
