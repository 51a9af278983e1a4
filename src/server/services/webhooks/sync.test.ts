import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { GRACE } from "../../../../sandbox/test-helpers";

import { db } from "~/server/db";
import { changeTicketStatus } from "~/server/services/tickets/ticket-changes";
import { runWebhookEventJob } from "~/server/jobs/webhook-event-worker";
import { sandboxAdmin } from "~/test/atlassian";
import { setupTestDatabase, unique } from "~/test/db";

import {
  adf,
  commentCreated,
  connectJira,
  deliver,
  issueUpdated,
  jira,
  processEvents,
  SITE,
  startReceiver,
  statusField,
  ticketWithIssue,
  type ConnectedJira,
} from "./test-support";

setupTestDatabase();

let receiver: Awaited<ReturnType<typeof startReceiver>>;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
});

/**
 * Registers an admin webhook in the sandbox for this integration, limited by JQL to the issues
 * with `label` (the sandbox is shared by every test file of the run).
 */
async function hookSandbox(jiraSide: ConnectedJira, label: string) {
  const registered = await sandboxAdmin("/webhooks", {
    url: `${receiver.url}/${jiraSide.integrationId}`,
    secret: jiraSide.secret,
    site: SITE,
    jqlFilter: `labels = "${label}"`,
  });
  expect(registered.status).toBe(201);
}

/** Waits until the sandbox has delivered everything it started, and checks ours were accepted. */
async function deliveriesSettled(jiraSide: ConnectedJira) {
  const { body } = await sandboxAdmin("/webhooks/deliveries");
  const ours = (body as { url: string; status: number | null }[]).filter((delivery) =>
    delivery.url.endsWith(`/${jiraSide.integrationId}`),
  );
  expect(ours.length).toBeGreaterThan(0);
  expect(ours.every((delivery) => delivery.status === 200)).toBe(true);
}

const ticketOf = (ticketId: string) => db.ticket.findUniqueOrThrow({ where: { id: ticketId } });

const syncAudits = (organizationId: string, ticketId: string) =>
  db.auditEvent.findMany({
    where: { organizationId, entityId: ticketId, action: "ticket.synced_from_jira" },
    orderBy: { createdAt: "asc" },
  });

describe("Jira → TicketBridge through the sandbox's signed webhooks", () => {
  it("a transition in Jira changes the ticket's status, with an audit event", async () => {
    const jiraSide = await connectJira();
    const { ticketId, link, issue } = await ticketWithIssue(jiraSide);
    await hookSandbox(jiraSide, `tb-ref-${link.id}`);

    const moved = await jira(`/issue/${issue.key}/transitions`, { body: { transition: { id: "21" } } });
    expect(moved.status).toBe(204);
    await deliveriesSettled(jiraSide);
    const events = await processEvents(jiraSide.integrationId, jiraSide.viewer.organizationId);

    expect(events.map(({ event, state }) => `${event} ${state}`)).toEqual(["jira:issue_updated PROCESSED"]);
    expect(events[0]!.outcome).toContain("status OPEN → IN_PROGRESS");
    expect((await ticketOf(ticketId)).status).toBe("IN_PROGRESS");
    const synced = await db.externalIssue.findUniqueOrThrow({ where: { id: link.id } });
    expect(synced).toMatchObject({ externalStatus: "In Progress", lastSyncDirection: "INBOUND" });
    const [audit] = await syncAudits(jiraSide.viewer.organizationId, ticketId);
    expect(audit).toMatchObject({
      actorId: null,
      entityType: "Ticket",
      before: { status: "OPEN", externalStatus: "To Do" },
      after: { status: "IN_PROGRESS", externalStatus: "In Progress" },
    });

    await jira(`/issue/${issue.key}/transitions`, { body: { transition: { id: "31" } } });
    await deliveriesSettled(jiraSide);
    await processEvents(jiraSide.integrationId, jiraSide.viewer.organizationId);
    expect((await ticketOf(ticketId)).status).toBe("CLOSED");
  });

  it("comments written in Jira appear once on the ticket, internal when restricted", async () => {
    const jiraSide = await connectJira();
    const { ticketId, link, issue } = await ticketWithIssue(jiraSide);
    await hookSandbox(jiraSide, `tb-ref-${link.id}`);

    await jira(`/issue/${issue.key}/comment`, { body: { body: adf("Seen it, looking now.") } });
    await jira(`/issue/${issue.key}/comment`, {
      body: {
        body: adf("Staff only: root cause is the cache."),
        visibility: { type: "role", value: "Administrators" },
      },
    });
    await deliveriesSettled(jiraSide);
    const events = await processEvents(jiraSide.integrationId, jiraSide.viewer.organizationId);

    // Jira sends each comment twice (comment_created and issue_updated "issue_commented").
    expect(events).toHaveLength(4);
    expect(events.filter(({ state }) => state === "PROCESSED")).toHaveLength(2);
    expect(events.filter(({ state }) => state === "IGNORED").map(({ outcome }) => outcome)).toEqual([
      expect.stringContaining("already stored"),
      expect.stringContaining("already stored"),
    ]);
    const comments = await db.comment.findMany({
      where: { organizationId: jiraSide.viewer.organizationId, ticketId },
      orderBy: { externalId: "asc" },
    });
    expect(
      comments.map(({ body, visibility, source, authorName }) => ({ body, visibility, source, authorName })),
    ).toEqual([
      { body: "Seen it, looking now.", visibility: "PUBLIC", source: "JIRA", authorName: "Ada Lovelace" },
      {
        body: "Staff only: root cause is the cache.",
        visibility: "INTERNAL",
        source: "JIRA",
        authorName: "Ada Lovelace",
      },
    ]);
    expect(comments.every(({ externalId }) => externalId !== null)).toBe(true);
  });

  it("ignores the echo of a status TicketBridge itself sent, writing nothing", async () => {
    const jiraSide = await connectJira();
    const { ticketId, link } = await ticketWithIssue(jiraSide);
    await hookSandbox(jiraSide, `tb-ref-${link.id}`);

    // The agent moves the ticket in the app; the outbox transitions the Jira issue; Jira reports it.
    await changeTicketStatus(jiraSide.viewer, { ticketId, status: "IN_PROGRESS" });
    await deliveriesSettled(jiraSide);
    const [event] = await processEvents(jiraSide.integrationId, jiraSide.viewer.organizationId);

    expect(event).toMatchObject({
      state: "IGNORED",
      outcome: expect.stringContaining("echo of our own change"),
    });
    expect((await ticketOf(ticketId)).status).toBe("IN_PROGRESS");
    expect(await syncAudits(jiraSide.viewer.organizationId, ticketId)).toEqual([]);
    const unchanged = await db.externalIssue.findUniqueOrThrow({ where: { id: link.id } });
    expect(unchanged).toMatchObject({ externalStatus: "In Progress", lastSyncDirection: "OUTBOUND" });
  });

  it("imports an issue created in Jira when the integration imports issues", async () => {
    const jiraSide = await connectJira({ importIssues: true });
    const label = unique("import");
    await hookSandbox(jiraSide, label);

    const created = await jira("/issue", {
      body: {
        fields: {
          project: { key: "DEMO" },
          issuetype: { name: "Bug" },
          summary: "Found in Jira first",
          description: adf("Customers see a blank page."),
          priority: { name: "High" },
          labels: [label],
        },
      },
    });
    expect(created.status).toBe(201);
    await deliveriesSettled(jiraSide);
    const [event] = await processEvents(jiraSide.integrationId, jiraSide.viewer.organizationId);

    expect(event).toMatchObject({ event: "jira:issue_created", state: "PROCESSED" });
    const link = await db.externalIssue.findFirstOrThrow({
      where: { organizationId: jiraSide.viewer.organizationId, externalId: created.body.id as string },
      include: { ticket: true },
    });
    expect(link).toMatchObject({
      syncState: "CREATED",
      externalKey: created.body.key,
      externalStatus: "To Do",
      lastSyncDirection: "INBOUND",
    });
    expect(link.url).toContain(`/browse/${created.body.key as string}`);
    expect(link.ticket).toMatchObject({
      number: 1,
      title: "Found in Jira first",
      description: "Customers see a blank page.",
      type: "BUG",
      category: "bug",
      priority: "high",
      status: "OPEN",
    });
  });
});

describe("signed events TicketBridge applies", () => {
  it("applies assignee (members only), priority and summary, with before and after in the audit", async () => {
    const jiraSide = await connectJira();
    const { viewer } = jiraSide;
    const { ticketId, issue } = await ticketWithIssue(jiraSide);
    const accountId = unique("atlassian-account");
    const member = await db.user.create({
      data: {
        name: "Grace Member",
        accounts: { create: { type: "oauth", provider: "atlassian", providerAccountId: accountId } },
        memberships: { create: { organizationId: viewer.organizationId, role: "AGENT" } },
      },
    });

    await deliver(
      jiraSide.integrationId,
      issueUpdated(issue, [
        { field: "assignee", to: accountId, toString: "Grace Member" },
        { field: "priority", from: "3", fromString: "Medium", to: "1", toString: "Highest" },
        { field: "summary", fromString: "old", to: null, toString: "Renamed in Jira" },
      ]),
      { secret: jiraSide.secret },
    );
    await processEvents(jiraSide.integrationId, viewer.organizationId);
    expect(await ticketOf(ticketId)).toMatchObject({
      assigneeId: member.id,
      priority: "critical",
      title: "Renamed in Jira",
    });
    const [audit] = await syncAudits(viewer.organizationId, ticketId);
    expect(audit).toMatchObject({
      before: { assigneeId: null, priority: "medium" },
      after: { assigneeId: member.id, priority: "critical", title: "Renamed in Jira" },
    });

    // Someone who is not a member of the organization: the ticket is unassigned.
    await deliver(
      jiraSide.integrationId,
      issueUpdated(issue, [{ field: "assignee", from: accountId, to: GRACE.accountId, toString: "Grace" }]),
      { secret: jiraSide.secret },
    );
    const events = await processEvents(jiraSide.integrationId, viewer.organizationId);
    expect(events.at(-1)!.outcome).toContain("not a member");
    expect((await ticketOf(ticketId)).assigneeId).toBeNull();
  });

  it("ignores the echo of an assignment it sent, and applies one whose echo window is over", async () => {
    const jiraSide = await connectJira();
    const { viewer, integrationId, secret } = jiraSide;
    const { ticketId, link, issue } = await ticketWithIssue(jiraSide);
    const echo = (accountId: string, echoUntil: Date) =>
      db.externalChange.create({
        data: {
          organizationId: viewer.organizationId,
          externalIssueId: link.id,
          kind: "ASSIGN",
          payload: { accountId, name: "Someone" },
          echoUntil,
        },
      });
    await echo("acc-recent", new Date(Date.now() + 60_000));
    await echo("acc-long-ago", new Date(Date.now() - 60_000));
    await db.ticket.update({ where: { id: ticketId }, data: { assigneeId: viewer.userId } });

    await deliver(
      integrationId,
      issueUpdated(issue, [{ field: "assignee", to: "acc-recent", toString: "R" }]),
      {
        secret,
      },
    );
    let events = await processEvents(integrationId, viewer.organizationId);
    expect(events.at(-1)).toMatchObject({ state: "IGNORED", outcome: expect.stringContaining("echo") });
    expect((await ticketOf(ticketId)).assigneeId).toBe(viewer.userId);

    await deliver(
      integrationId,
      issueUpdated(issue, [{ field: "assignee", to: "acc-long-ago", toString: "L" }]),
      {
        secret,
      },
    );
    events = await processEvents(integrationId, viewer.organizationId);
    expect(events.at(-1)).toMatchObject({ state: "PROCESSED" });
    expect((await ticketOf(ticketId)).assigneeId).toBeNull();
  });

  it("processes an event once, however often its job runs", async () => {
    const jiraSide = await connectJira();
    const { ticketId, issue } = await ticketWithIssue(jiraSide);
    await deliver(
      jiraSide.integrationId,
      issueUpdated(
        issue,
        [{ field: "status", to: "3", toString: "In Progress" }],
        statusField("In Progress", "indeterminate"),
      ),
      { secret: jiraSide.secret },
    );
    const [event] = await db.webhookEvent.findMany({
      where: { integrationId: jiraSide.integrationId, organizationId: jiraSide.viewer.organizationId },
    });
    const runs = await Promise.all([runWebhookEventJob(event!.id), runWebhookEventJob(event!.id)]);
    expect(runs.filter((run) => run.startsWith("PROCESSED"))).toHaveLength(1);
    expect(await runWebhookEventJob(event!.id)).toMatch(/^SKIPPED/);
    expect(await syncAudits(jiraSide.viewer.organizationId, ticketId)).toHaveLength(1);
    expect(await db.webhookEvent.findUniqueOrThrow({ where: { id: event!.id } })).toMatchObject({
      state: "PROCESSED",
      processedAt: expect.any(Date),
    });
  });
});

describe("signed events TicketBridge does not apply", () => {
  it("ignores an issue that is not linked to a ticket", async () => {
    const { viewer, integrationId, secret } = await connectJira();
    await deliver(
      integrationId,
      issueUpdated({ id: "7777777", key: "DEMO-7777777" }, [
        { field: "status", to: "3", toString: "In Progress" },
      ]),
      { secret },
    );
    await deliver(
      integrationId,
      commentCreated({ id: "7777777", key: "DEMO-7777777" }, { id: "1", body: "hi" }),
      {
        secret,
      },
    );
    const events = await processEvents(integrationId, viewer.organizationId);
    expect(events.map(({ state, outcome }) => [state, outcome?.slice(0, 11)])).toEqual([
      ["IGNORED", "not linked:"],
      ["IGNORED", "not linked:"],
    ]);
  });

  it("another organization's integration, signed with its own secret, cannot touch this organization's tickets", async () => {
    const ours = await connectJira();
    const theirs = await connectJira();
    const { ticketId, issue } = await ticketWithIssue(ours);
    const change = issueUpdated(
      issue,
      [{ field: "status", to: "10001", toString: "Done" }],
      statusField("Done", "done"),
    );

    // Their secret on our integration's URL is refused outright.
    expect((await deliver(ours.integrationId, change, { secret: theirs.secret })).status).toBe(401);
    // On their own URL it is accepted, but their integration does not link our issue.
    expect((await deliver(theirs.integrationId, change, { secret: theirs.secret })).status).toBe(200);
    const events = await processEvents(theirs.integrationId, theirs.viewer.organizationId);
    expect(events.map(({ state }) => state)).toEqual(["IGNORED"]);
    await deliver(theirs.integrationId, commentCreated(issue, { id: unique("c"), body: "planted" }), {
      secret: theirs.secret,
    });
    await processEvents(theirs.integrationId, theirs.viewer.organizationId);

    expect((await ticketOf(ticketId)).status).toBe("OPEN");
    expect(await db.comment.count({ where: { ticketId } })).toBe(0);
    expect(await db.webhookEvent.count({ where: { integrationId: ours.integrationId } })).toBe(0);
  });

  it("does not import issues unless asked, nor issues TicketBridge created", async () => {
    const importing = await connectJira({ importIssues: true });
    const notImporting = await connectJira();
    const issue = { id: String(900_000 + Math.floor(Math.random() * 99_999)), key: "DEMO-900" };
    const created = (labels: string[]) => ({
      timestamp: Date.now(),
      webhookEvent: "jira:issue_created",
      issue: { ...issue, fields: { summary: "From Jira", project: { key: "DEMO" }, labels } },
    });
    await deliver(notImporting.integrationId, created([]), { secret: notImporting.secret });
    await deliver(importing.integrationId, created(["tb-ref-some-ticket"]), { secret: importing.secret });
    const [off] = await processEvents(notImporting.integrationId, notImporting.viewer.organizationId);
    const [ours] = await processEvents(importing.integrationId, importing.viewer.organizationId);
    expect(off).toMatchObject({
      state: "IGNORED",
      outcome: expect.stringContaining("importing issues is off"),
    });
    expect(ours).toMatchObject({
      state: "IGNORED",
      outcome: expect.stringContaining("created by TicketBridge"),
    });
    expect(await db.ticket.count({ where: { organizationId: importing.viewer.organizationId } })).toBe(0);
  });

  it("ignores events it does not sync, and fails payloads of the wrong shape", async () => {
    const { viewer, integrationId, secret } = await connectJira();
    await deliver(integrationId, { timestamp: Date.now(), webhookEvent: "issue_property_set" }, { secret });
    await deliver(
      integrationId,
      { timestamp: Date.now(), webhookEvent: "jira:issue_updated", issue: 42 },
      { secret },
    );
    const events = await processEvents(integrationId, viewer.organizationId);
    const byEvent = Object.fromEntries(
      events.map(({ event, state, outcome }) => [event, { state, outcome }]),
    );
    expect(byEvent).toEqual({
      issue_property_set: { state: "IGNORED", outcome: 'Jira event "issue_property_set" is not synced' },
      "jira:issue_updated": { state: "FAILED", outcome: expect.stringContaining("not what Jira sends") },
    });
  });
});
