import { describe, expect, it } from "vitest";

import { GRACE } from "../../../../sandbox/test-helpers";

import { db } from "~/server/db";
import { changeTicketStatus } from "~/server/services/tickets/ticket-changes";
import { adf, connectJira, jira, ticketWithIssue } from "~/server/services/webhooks/test-support";
import { setupTestDatabase } from "~/test/db";

import { needsPolling, pollIntegration, pollIntegrations } from "./poll";

setupTestDatabase();

const ticketOf = (ticketId: string) => db.ticket.findUniqueOrThrow({ where: { id: ticketId } });
const integrationOf = (id: string) => db.integration.findUniqueOrThrow({ where: { id } });

describe("polling Jira when no webhook reports changes", () => {
  it("applies a status, assignee and comment change made in Jira, and never duplicates comments", async () => {
    const jiraSide = await connectJira();
    const {
      ticketId,
      issue: { key },
    } = await ticketWithIssue(jiraSide);
    await db.ticket.update({ where: { id: ticketId }, data: { assigneeId: jiraSide.viewer.userId } });

    expect((await jira(`/issue/${key}/transitions`, { body: { transition: { id: "21" } } })).status).toBe(
      204,
    );
    expect(
      (await jira(`/issue/${key}/assignee`, { method: "PUT", body: { accountId: GRACE.accountId } })).status,
    ).toBe(204);
    expect((await jira(`/issue/${key}/comment`, { body: { body: adf("Polled comment") } })).status).toBe(201);

    const before = new Date();
    const result = await pollIntegration(jiraSide.integrationId);
    expect(result).toMatchObject({ state: "DONE", complete: true });
    const ticket = await ticketOf(ticketId);
    expect(ticket.status).toBe("IN_PROGRESS");
    // Grace's Jira account is not a member of this organization: the ticket is unassigned.
    expect(ticket.assigneeId).toBeNull();
    const comments = await db.comment.findMany({ where: { ticketId, source: "JIRA" } });
    expect(comments.map((comment) => comment.body)).toEqual(["Polled comment"]);
    const polledAt = (await integrationOf(jiraSide.integrationId)).lastPolledAt!;
    expect(polledAt.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1_000);

    // A second pass over the same issues: nothing new, nothing twice.
    const again = await pollIntegration(jiraSide.integrationId);
    expect(again).toMatchObject({ state: "DONE", outcomes: [] });
    expect(await db.comment.count({ where: { ticketId, source: "JIRA" } })).toBe(1);
    const audits = await db.auditEvent.count({
      where: { entityId: ticketId, action: "ticket.synced_from_jira" },
    });
    expect(audits).toBe(2); // the field changes, and the comment
  });

  it("follows nextPageToken through more than one page", async () => {
    const jiraSide = await connectJira();
    const tickets = [
      await ticketWithIssue(jiraSide),
      await ticketWithIssue(jiraSide),
      await ticketWithIssue(jiraSide),
    ];
    for (const {
      issue: { key },
    } of tickets)
      await jira(`/issue/${key}/transitions`, { body: { transition: { id: "21" } } });

    const result = await pollIntegration(jiraSide.integrationId, { pageSize: 2, maxPages: 100 });
    expect(result).toMatchObject({ state: "DONE", complete: true });
    expect(result.state === "DONE" && result.pages).toBeGreaterThan(1);
    for (const { ticketId } of tickets) expect((await ticketOf(ticketId)).status).toBe("IN_PROGRESS");
  });

  it("does not take its own change back as a change made in Jira", async () => {
    const jiraSide = await connectJira();
    const { ticketId, link } = await ticketWithIssue(jiraSide);
    // RESOLVED lands on Jira's "Done", which would read back as CLOSED.
    await changeTicketStatus(jiraSide.viewer, { ticketId, status: "RESOLVED" });
    expect((await db.externalIssue.findUniqueOrThrow({ where: { id: link.id } })).externalStatus).toBe(
      "Done",
    );
    // Even when the link has not recorded the status reached, the pending echo is recognised.
    await db.externalIssue.update({ where: { id: link.id }, data: { externalStatus: "To Do" } });

    await pollIntegration(jiraSide.integrationId);
    expect((await ticketOf(ticketId)).status).toBe("RESOLVED");
  });

  it("skips suspended integrations and those whose webhooks work", async () => {
    const suspended = await connectJira();
    await db.integration.update({
      where: { id: suspended.integrationId },
      data: { status: "SUSPENDED", suspendedUntil: new Date(Date.now() + 60 * 60_000) },
    });
    const hooked = await connectJira();
    await db.integration.update({ where: { id: hooked.integrationId }, data: { lastWebhookAt: new Date() } });

    const results = await pollIntegrations({
      integrationIds: [suspended.integrationId, hooked.integrationId],
    });
    expect(results[suspended.integrationId]).toMatchObject({ state: "SKIPPED", reason: /SUSPENDED/ });
    expect(results[hooked.integrationId]).toMatchObject({ state: "SKIPPED", reason: /webhooks are working/ });
    expect((await integrationOf(suspended.integrationId)).lastPolledAt).toBeNull();
    expect((await integrationOf(hooked.integrationId)).lastPolledAt).toBeNull();
  });

  it("polls only without working webhooks: none registered and no delivery for 30 minutes", () => {
    const now = new Date("2026-11-22T12:00:00Z");
    const base = { dynamicWebhookIds: [] as number[], dynamicWebhooksExpireAt: null, lastWebhookAt: null };
    expect(needsPolling(base, now)).toBe(true);
    expect(needsPolling({ ...base, lastWebhookAt: new Date("2026-11-22T11:45:00Z") }, now)).toBe(false);
    expect(needsPolling({ ...base, lastWebhookAt: new Date("2026-11-22T11:15:00Z") }, now)).toBe(true);
    const live = { dynamicWebhookIds: [1], dynamicWebhooksExpireAt: new Date("2026-12-01T00:00:00Z") };
    expect(needsPolling({ ...base, ...live }, now)).toBe(false);
    expect(
      needsPolling({ ...base, ...live, dynamicWebhooksExpireAt: new Date("2026-11-01T00:00:00Z") }, now),
    ).toBe(true);
  });

  it("leaves lastPolledAt alone and reports to the lifecycle when Jira rejects the credentials", async () => {
    const jiraSide = await connectJira();
    const stored = await integrationOf(jiraSide.integrationId);
    // A connection whose API token Jira no longer accepts.
    const { sealJson, openJson } = await import("~/server/integrations/crypto");
    const context = `integration:${stored.id}:credentials`;
    const credentials = openJson<Record<string, unknown>>(stored.credentialsSealed, context);
    await db.integration.update({
      where: { id: stored.id },
      data: { credentialsSealed: sealJson({ ...credentials, apiToken: "revoked-token" }, context) },
    });
    const result = await pollIntegration(jiraSide.integrationId);
    expect(result.state).toBe("FAILED");
    const after = await integrationOf(jiraSide.integrationId);
    expect(after.lastPolledAt).toBeNull();
    expect(after.status).toBe("EXPIRED");
  });
});
