import { describe, expect, it } from "vitest";

import { db } from "~/server/db";
import { connectAcmeJira, sandboxAdmin } from "~/test/atlassian";
import { createMember, setupTestDatabase } from "~/test/db";

import { Prisma } from "~/generated/prisma/client";
import { QUEUES } from "~/server/jobs/queues";
import { waitUntil } from "~/server/jobs/test-support";

import { disableIntegration, updateIntegration } from "../integrations/integrations";
import { storeFirstSnapshot } from "./outbox";
import { createTicket, fileTicket, getTicket, listTickets } from "./tickets";
import { rejection } from "~/test/rejections";

setupTestDatabase();

type Viewer = { userId: string; organizationId: string; role: "OWNER" };

async function agentWithJira(projectKey = "DEMO"): Promise<{ viewer: Viewer; integrationId: string }> {
  const session = await createMember("OWNER");
  const viewer: Viewer = { userId: session.user.id, organizationId: session.organization!.id, role: "OWNER" };
  const integrationId = await connectAcmeJira(viewer, { projectKey });
  return { viewer, integrationId };
}

type SandboxIssue = {
  key: string;
  summary: string;
  description: unknown;
  labels: string[];
  issueTypeId: string;
  priorityId: string;
};

async function sandboxIssue(key: string | null | undefined): Promise<SandboxIssue | undefined> {
  const issues = (await sandboxAdmin("/issues?site=acme-demo")).body as SandboxIssue[];
  return issues.find((issue) => issue.key === key);
}

const counts = async (organizationId: string) => ({
  tickets: await db.ticket.count({ where: { organizationId } }),
  links: await db.externalIssue.count({ where: { organizationId } }),
});

/** Creation jobs queued in this test file's database (each file has one of its own). */
const queuedCreations = async () => {
  const [{ count }] = await db.$queryRaw<[{ count: number }]>`
    SELECT count(*)::int AS count FROM pgboss.job WHERE name = ${QUEUES.externalIssue.name}`;
  return count;
};

describe("creating tickets", () => {
  it("stores the ticket, creates the Jira issue, and returns the key, URL and full response", async () => {
    const { viewer, integrationId } = await agentWithJira();
    const { ticket, integrationResult } = await createTicket(viewer, {
      title: "Checkout button does nothing",
      description: "Steps:\n1. Add to cart\n2. Click **Checkout**",
      category: "bug",
      priority: "high",
      integrationId,
    });
    expect(ticket).toMatchObject({ number: 1, type: "BUG", status: "OPEN" });
    expect(ticket).not.toHaveProperty("description"); // the answer does not echo the text back
    expect(await db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).toMatchObject({
      number: 1,
      source: "FORM",
      reporterId: viewer.userId,
    });
    expect(integrationResult).toMatchObject({ success: true, state: "CREATED", errorMessage: null });
    expect(integrationResult?.externalTicketId).toMatch(/^DEMO-\d+$/);
    expect(integrationResult?.externalTicketUrl).toContain(`/browse/${integrationResult?.externalTicketId}`);
    const response = integrationResult?.integrationResponse as {
      created: { key: string };
      issue: { fields: { status: { name: string } } };
    };
    expect(response.created.key).toBe(integrationResult?.externalTicketId);
    expect(response.issue.fields.status.name).toBe("To Do");

    const issue = await sandboxIssue(integrationResult?.externalTicketId);
    expect(issue).toMatchObject({
      summary: "Checkout button does nothing",
      labels: expect.arrayContaining([
        "source:ticketbridge",
        "category:bug",
        `tb-ref-${integrationResult?.externalIssueId}`,
      ]),
      issueTypeId: "10003", // Bug
      priorityId: "2", // High
    });

    const integration = await db.integration.findUniqueOrThrow({ where: { id: integrationId } });
    expect(integration).toMatchObject({ successCount: 1, consecutiveFailures: 0 });
    expect(integration.lastSuccessfulCreationAt).toBeInstanceOf(Date);
    const actions = (await db.auditEvent.findMany({ where: { organizationId: viewer.organizationId } })).map(
      (event) => event.action,
    );
    expect(actions).toEqual(expect.arrayContaining(["ticket.created", "external_issue.created"]));
  });

  it("numbers tickets per organization, also under concurrency", async () => {
    const { viewer } = await agentWithJira();
    const created = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        createTicket(viewer, { title: `T${index}`, category: "general", priority: "low" }),
      ),
    );
    expect(created.map(({ ticket }) => ticket.number).sort((a, b) => a - b)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
    expect(created.every(({ integrationResult }) => integrationResult === null)).toBe(true);
  });

  it("keeps HTML as text: stored as typed, sent to Jira as ADF text", async () => {
    const { viewer, integrationId } = await agentWithJira();
    const html = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    const { ticket, integrationResult } = await createTicket(viewer, {
      title: `${html} title`,
      description: html,
      category: "general",
      priority: "low",
      integrationId,
    });
    expect((await getTicket(viewer, ticket.id)).description).toBe(html);
    const description = JSON.stringify(
      (await sandboxIssue(integrationResult?.externalTicketId))?.description,
    );
    expect(description).toContain('"type":"text"');
    expect(description).toContain("<script>");
  });

  it("refuses bad input with a clear message and writes nothing", async () => {
    const { viewer, integrationId } = await agentWithJira();
    const before = await counts(viewer.organizationId);
    const cases = [
      { title: "   ", category: "bug", priority: "low" },
      { title: "Big", description: "x".repeat(100_000), category: "bug", priority: "low" },
      { title: "Odd", category: "complaint", priority: "low" },
      { title: "Odd", category: "bug", priority: "urgent" },
    ];
    for (const input of cases) {
      const error = await rejection(createTicket(viewer, { ...input, integrationId } as never));
      expect(error.code).toBe("BAD_REQUEST");
      expect(error.message.length).toBeGreaterThan(10);
    }
    expect(await counts(viewer.organizationId)).toEqual(before);
  });

  it("stores the fetched issue after answering, never over a status a sync stored first", async () => {
    const { viewer, integrationId } = await agentWithJira();
    const { integrationResult } = await createTicket(viewer, {
      title: "Status after creation",
      category: "bug",
      priority: "low",
      integrationId,
    });
    const id = integrationResult!.externalIssueId;
    const link = () => db.externalIssue.findUniqueOrThrow({ where: { id } });
    const stored = await waitUntil(link, (row) => row.issueSnapshot !== null, { message: "the snapshot" });
    expect(stored.externalStatus).toBe("To Do");
    expect(stored.issueSnapshot).toEqual(integrationResult!.integrationResponse!.issue);

    // A webhook moved the issue before the snapshot of its creation was stored.
    await db.externalIssue.update({
      where: { id },
      data: { externalStatus: "In Progress", issueSnapshot: Prisma.DbNull },
    });
    const fetchedAtCreation = { key: stored.externalKey, fields: { status: { name: "To Do" } } };
    await storeFirstSnapshot(id, {
      id: stored.externalId!,
      key: stored.externalKey!,
      url: stored.url!,
      status: "To Do",
      raw: fetchedAtCreation,
    });
    expect(await link()).toMatchObject({ externalStatus: "In Progress", issueSnapshot: fetchedAtCreation });
  });

  it("refuses an unknown, inactive or another organization's integration, writing nothing", async () => {
    const { viewer, integrationId } = await agentWithJira();
    const other = await agentWithJira();
    const before = await counts(viewer.organizationId);
    const jobsBefore = await queuedCreations();
    for (const id of ["no-such-integration", other.integrationId]) {
      const error = await rejection(
        createTicket(viewer, { title: "x", category: "bug", priority: "low", integrationId: id }),
      );
      expect(error).toMatchObject({
        code: "BAD_REQUEST",
        message: `Integration '${id}' not found or not active.`,
      });
    }
    await disableIntegration(viewer, integrationId);
    const error = await rejection(
      createTicket(viewer, { title: "x", category: "bug", priority: "low", integrationId }),
    );
    expect(error.message).toBe(`Integration '${integrationId}' not found or not active.`);
    expect(await counts(viewer.organizationId)).toEqual(before);
    expect(await counts(other.viewer.organizationId)).toEqual({ tickets: 0, links: 0 });
    expect(await queuedCreations()).toBe(jobsBefore);
  });

  it("refuses, writing nothing, an integration that changed since the form listed it, and says why", async () => {
    const { viewer, integrationId } = await agentWithJira();
    const fields = { title: "x", description: "", category: "bug", priority: "low", source: "FORM" } as const;
    const before = await counts(viewer.organizationId);
    const jobsBefore = await queuedCreations();

    await updateIntegration(viewer, { id: integrationId, settings: { supportedCategories: ["billing"] } });
    const notTaken = await rejection(fileTicket(viewer, fields, { integrationId }));
    expect(notTaken).toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringMatching(/^Integration '.+' does not take bug tickets\./),
    });

    await updateIntegration(viewer, { id: integrationId, settings: { supportedCategories: ["bug"] } });
    await disableIntegration(viewer, integrationId);
    const inactive = await rejection(fileTicket(viewer, fields, { integrationId }));
    expect(inactive.message).toBe(`Integration '${integrationId}' not found or not active.`);

    expect(await counts(viewer.organizationId)).toEqual(before);
    expect(await queuedCreations()).toBe(jobsBefore);
  });

  it("keeps the ticket when Jira refuses the issue, and says which field is missing", async () => {
    const { viewer, integrationId } = await agentWithJira("OPS");
    const { ticket, integrationResult } = await createTicket(viewer, {
      title: "Prod down",
      category: "bug",
      priority: "critical",
      integrationId,
    });
    expect(await db.ticket.findUnique({ where: { id: ticket.id } })).not.toBeNull();
    expect(integrationResult).toMatchObject({ success: false, state: "FAILED" });
    expect(integrationResult?.errorMessage).toMatch(/Environment.*customfield_10050/);
  });
});

describe("listing tickets", () => {
  it("filters and paginates in the database, scoped to the organization", async () => {
    const { viewer } = await agentWithJira();
    for (const [title, category, priority] of [
      ["Refund twice", "billing", "high"],
      ["Dark mode", "feature_request", "low"],
      ["Crash on save", "bug", "critical"],
      ["Crash on load", "bug", "high"],
    ] as const) {
      await createTicket(viewer, { title, category, priority });
    }
    expect((await listTickets(viewer, { category: "bug" })).items.map((ticket) => ticket.title)).toEqual([
      "Crash on load",
      "Crash on save",
    ]);
    expect((await listTickets(viewer, { search: "crash", priority: "critical" })).total).toBe(1);
    expect((await listTickets(viewer, { search: "#1" })).items[0]?.title).toBe("Refund twice");
    const page = await listTickets(viewer, { pageSize: 3, page: 2 });
    expect(page).toMatchObject({ total: 4, pageCount: 2 });
    expect(page.items).toHaveLength(1);
    const stranger = await createMember("OWNER");
    expect(
      (
        await listTickets(
          { userId: stranger.user.id, organizationId: stranger.organization!.id, role: "OWNER" },
          {},
        )
      ).total,
    ).toBe(0);
  });
});
