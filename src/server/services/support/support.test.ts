import { describe, expect, it } from "vitest";

import { ADA } from "../../../../sandbox/test-helpers";

import { db } from "~/server/db";
import { sandboxUrl } from "~/test/atlassian";
import { setupTestDatabase, unique } from "~/test/db";

import { createIntegration, updateIntegration } from "../integrations/integrations";
import { addTicketComment } from "../tickets/ticket-changes";
import { fileSupportRequest, getMyTicket, listMyTickets, replyToMyTicket } from "./support";
import { supportDesk } from "./test-support";
import { rejection } from "~/test/rejections";

setupTestDatabase();

describe("support center", () => {
  it("files a bug report into the support integration, with the customer's fields", async () => {
    const { alice } = await supportDesk({ withJira: true });
    const filed = await fileSupportRequest(alice, {
      kind: "bug",
      summary: "Export button does nothing",
      description: "Clicking Export has no effect.",
      priority: "high",
      stepsToReproduce: "1. Open reports\n2. Click Export",
      environment: "Firefox 140 on Linux",
    });
    expect(filed.number).toBeGreaterThan(0);
    expect(filed.externalKey).toMatch(/^DEMO-\d+$/);
    const ticket = await db.ticket.findUniqueOrThrow({ where: { id: filed.id } });
    expect(ticket).toMatchObject({
      type: "BUG",
      source: "PORTAL",
      category: "bug",
      reporterId: alice.userId,
    });
    expect(ticket.details).toMatchObject({ environment: "Firefox 140 on Linux" });
    expect(ticket.description).toContain("**Steps to reproduce**");
  });

  it("keeps one support default per organization", async () => {
    const { staff } = await supportDesk({ withJira: true });
    const second = await createIntegration(staff, {
      provider: "jira",
      mode: "cloud_api_token",
      name: unique("Second Jira"),
      config: { baseUrl: `${sandboxUrl()}/site/acme-demo`, projectKey: "DEMO", defaultIssueType: "Task" },
      credentials: { email: ADA.email, apiToken: ADA.apiToken },
    });
    await updateIntegration(staff, { id: second.id, settings: { supportDefault: true } });
    const defaults = await db.integration.findMany({
      where: { organizationId: staff.organizationId, settings: { path: ["supportDefault"], equals: true } },
      select: { id: true },
    });
    expect(defaults).toEqual([{ id: second.id }]);
  });

  it("keeps requests internal when no integration is active, typed by what was filed", async () => {
    const { alice } = await supportDesk({ withJira: false });
    const feature = await fileSupportRequest(alice, {
      kind: "feature",
      summary: "Dark mode",
      description: "Please.",
      priority: "low",
      businessValue: "Night shifts",
    });
    const support = await fileSupportRequest(alice, {
      kind: "support",
      summary: "Invoice copy",
      description: "I need a copy.",
      priority: "medium",
      supportCategory: "billing",
    });
    expect(feature.externalKey).toBeNull();
    const mine = await listMyTickets(alice, {});
    expect(mine.items.map((item) => [item.number, item.kind])).toEqual([
      [support.number, "support"],
      [feature.number, "feature"],
    ]);
    expect((await listMyTickets(alice, { kind: "feature" })).items).toHaveLength(1);
    expect((await listMyTickets(alice, { search: "invoice" })).items.map((item) => item.id)).toEqual([
      support.id,
    ]);
  });

  it("shows a customer only their own tickets and only public comments, through every procedure", async () => {
    const { staff, alice, bob } = await supportDesk({ withJira: false });
    const filed = await fileSupportRequest(alice, {
      kind: "support",
      summary: "Locked out",
      description: "Cannot sign in.",
      priority: "critical",
      supportCategory: "account",
    });
    await addTicketComment(staff, { ticketId: filed.id, body: "We reset your access." });
    await addTicketComment(staff, {
      ticketId: filed.id,
      body: "SECRET: account flagged by fraud team",
      internal: true,
    });
    await replyToMyTicket(alice, { ticketId: filed.id, body: "Thanks, works now." });

    const seen = await getMyTicket(alice, filed.id);
    expect(seen.comments.map((comment) => [comment.body, comment.mine])).toEqual([
      ["We reset your access.", false],
      ["Thanks, works now.", true],
    ]);
    expect(JSON.stringify(seen)).not.toContain("SECRET");
    expect(JSON.stringify(await listMyTickets(alice, {}))).not.toContain("SECRET");

    expect((await rejection(getMyTicket(bob, filed.id))).code).toBe("NOT_FOUND");
    expect((await rejection(replyToMyTicket(bob, { ticketId: filed.id, body: "hi" }))).code).toBe(
      "NOT_FOUND",
    );
    expect((await listMyTickets(bob, {})).items).toEqual([]);
    expect(await db.comment.count({ where: { ticketId: filed.id } })).toBe(3);
  });

  it("refuses incomplete or unknown requests with the field named, writing nothing", async () => {
    const { alice } = await supportDesk({ withJira: false });
    const bad = [
      { kind: "complaint", summary: "x", description: "y", priority: "low" },
      { kind: "bug", summary: "   ", description: "y", priority: "low" },
      { kind: "support", summary: "x", description: "y", priority: "low", supportCategory: "legal" },
      { kind: "feature", summary: "x", description: "y", priority: "urgent" },
    ];
    for (const input of bad) {
      const error = await rejection(fileSupportRequest(alice, input as never));
      expect(error.code).toBe("BAD_REQUEST");
    }
    expect(await db.ticket.count({ where: { reporterId: alice.userId } })).toBe(0);
  });
});
