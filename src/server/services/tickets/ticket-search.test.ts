import { describe, expect, it } from "vitest";

import type { Viewer } from "~/server/api/trpc";
import { db } from "~/server/db";
import { listMyTickets } from "~/server/services/support/support";
import { createMember, setupTestDatabase, unique } from "~/test/db";
import { rejection } from "~/test/rejections";

import {
  LIVE_STATS_MAX_TICKETS,
  refreshStatsSnapshots,
  storeStatsSnapshot,
  ticketStats,
} from "./ticket-stats";
import { createTicket, listReporters, listTickets } from "./tickets";

setupTestDatabase();

type Category = "bug" | "feature_request" | "billing" | "general";
type Priority = "low" | "medium" | "high" | "critical";

/** An owner's organization with two customers, and a way to file tickets as any of them. */
async function organization() {
  const owner = await createMember("OWNER");
  const viewer: Viewer = { userId: owner.user.id, organizationId: owner.organization!.id, role: "OWNER" };
  const customer = async (name: string) => {
    const user = await db.user.create({
      data: { name, email: `${unique(name.toLowerCase())}@example.test` },
    });
    await db.membership.create({
      data: { organizationId: viewer.organizationId, userId: user.id, role: "CUSTOMER" },
    });
    return { ...viewer, userId: user.id, role: "CUSTOMER" as const };
  };
  const file = async (
    as: Viewer,
    title: string,
    {
      description = "",
      category = "general",
      priority = "low",
    }: { description?: string; category?: Category; priority?: Priority } = {},
  ) => (await createTicket(as, { title, description, category, priority })).ticket;
  return { viewer, customer, file };
}

const titles = (page: { items: { title: string }[] }) => page.items.map((ticket) => ticket.title);

describe("full-text search", () => {
  it("finds words in titles and descriptions by their stem, ranks title matches first, and matches numbers and keys", async () => {
    const { viewer, file } = await organization();
    await file(viewer, "Checkout page", { description: "The app crashed twice while paying." });
    await file(viewer, "App crash on start");
    await file(viewer, "Dark mode", { description: "Please add it." });
    const crashing = await listTickets(viewer, { search: "crashing" });
    expect(crashing.total).toBe(2);
    expect(crashing.sort).toBe("relevance");
    // The title (weight A) outranks the description (weight B).
    expect(titles(crashing)).toEqual(["App crash on start", "Checkout page"]);
    expect(titles(await listTickets(viewer, { search: "paying" }))).toEqual(["Checkout page"]);
    expect(titles(await listTickets(viewer, { search: "#3" }))).toEqual(["Dark mode"]);
    expect(titles(await listTickets(viewer, { search: "3" }))).toEqual(["Dark mode"]);

    const integration = await db.integration.create({
      data: {
        organizationId: viewer.organizationId,
        provider: "jira",
        authMethod: "cloud_api_token",
        name: unique("Search Jira"),
        baseUrl: "https://jira.example.test",
        deployment: "CLOUD",
        config: {},
        credentialsSealed: "unused",
        settings: {},
      },
    });
    const ticket = await db.ticket.findFirstOrThrow({
      where: { organizationId: viewer.organizationId, number: 1 },
    });
    await db.externalIssue.create({
      data: {
        organizationId: viewer.organizationId,
        integrationId: integration.id,
        ticketId: ticket.id,
        externalId: unique("10"),
        externalKey: "SRCH-7",
        syncState: "CREATED",
      },
    });
    expect(titles(await listTickets(viewer, { search: "srch-7" }))).toEqual(["Checkout page"]);
  });

  it("answers any input normally, operators and quotes included", async () => {
    const { viewer, file } = await organization();
    await file(viewer, "Refund twice", { description: "Customer was charged twice." });
    for (const search of [
      '\'); DROP TABLE "Ticket"; --',
      "a & | !",
      "!!!",
      "the",
      '"unclosed',
      "-refund",
      "or",
    ]) {
      const page = await listTickets(viewer, { search });
      expect(page.items.length).toBe(page.total);
    }
    expect((await listTickets(viewer, { search: "'); DROP" })).total).toBe(0);
    expect((await listTickets(viewer, { search: '"charged twice"' })).total).toBe(1);
    expect(await db.ticket.count({ where: { organizationId: viewer.organizationId } })).toBe(1);
  });

  it("lets a customer search only their own tickets", async () => {
    const { customer, file } = await organization();
    const cy = await customer("Cy");
    const dee = await customer("Dee");
    await file(cy, "Export crashes", { description: "Every time." });
    await file(dee, "Crash in export too");
    const mine = await listMyTickets(cy, { search: "crashing export" });
    expect(mine.items.map((ticket) => ticket.title)).toEqual(["Export crashes"]);
    expect((await listMyTickets(dee, { search: "every" })).total).toBe(0);

    // Best match first (the title weighs more than the description), then paged in that order.
    await file(cy, "Login page", { description: "The export button is hidden." });
    await file(cy, "Printing", { description: "Nothing to do with it." });
    const ranked = await listMyTickets(cy, { search: "export" });
    expect(ranked.items.map((ticket) => ticket.title)).toEqual(["Export crashes", "Login page"]);
    const second = await listMyTickets(cy, { search: "export", pageSize: 1, page: 2 });
    expect({ titles: second.items.map((ticket) => ticket.title), total: second.total }).toEqual({
      titles: ["Login page"],
      total: 2,
    });
  });
});

describe("the admin ticket table", () => {
  it("filters by type, customer and stale, and sorts by priority, status and update on the server", async () => {
    const { viewer, customer, file } = await organization();
    const cy = await customer("Cyrille Example");
    const dee = await customer("Dee");
    const low = await file(cy, "Low bug", { category: "bug", priority: "low" });
    await file(dee, "Critical billing", { category: "billing", priority: "critical" });
    const feature = await file(cy, "Medium feature", { category: "feature_request", priority: "medium" });
    await file(dee, "High bug", { category: "bug", priority: "high" });

    expect(titles(await listTickets(viewer, { type: "BUG" }))).toEqual(["High bug", "Low bug"]);
    expect(titles(await listTickets(viewer, { customer: "cyrille" }))).toEqual(["Medium feature", "Low bug"]);
    // `%` and `_` are literal, not wildcards.
    expect((await listTickets(viewer, { customer: "%" })).total).toBe(0);
    const reporters = await listReporters(viewer);
    expect(reporters.map((reporter) => reporter.name).sort()).toEqual(["Cyrille Example", "Dee"]);

    expect(titles(await listTickets(viewer, { sort: "priority" }))).toEqual([
      "Critical billing",
      "High bug",
      "Medium feature",
      "Low bug",
    ]);
    const ascending = await listTickets(viewer, { sort: "priority", direction: "asc", pageSize: 2, page: 2 });
    expect(titles(ascending)).toEqual(["High bug", "Critical billing"]);
    expect(ascending).toMatchObject({ sort: "priority", direction: "asc", total: 4, pageCount: 2 });

    await db.ticket.update({ where: { id: feature.id }, data: { status: "RESOLVED" } });
    expect(titles(await listTickets(viewer, { sort: "status", direction: "desc" }))[0]).toBe(
      "Medium feature",
    );
    await db.ticket.update({ where: { id: low.id }, data: { title: "Low bug (edited)" } });
    expect(titles(await listTickets(viewer, { sort: "updated" }))[0]).toBe("Low bug (edited)");
    expect(titles(await listTickets(viewer, { sort: "number", direction: "asc" }))[0]).toBe(
      "Low bug (edited)",
    );

    await db.ticket.update({ where: { id: low.id }, data: { staleSince: new Date() } });
    const stale = await listTickets(viewer, { stale: true });
    expect(titles(stale)).toEqual(["Low bug (edited)"]);
    expect(stale.items[0]?.staleSince).toBeInstanceOf(Date);
    expect(stale.items[0]?.reporter).toMatchObject({ name: "Cyrille Example" });
    expect((await ticketStats(viewer)).counts.stale).toBe(1);
  });

  it("refuses an unknown sort, naming the ones there are", async () => {
    const { viewer } = await organization();
    const error = await rejection(listTickets(viewer, { sort: "title" } as never));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain("number, updated, priority, status, relevance");
  });
});

describe("stats snapshots", () => {
  it("the job stores each organization's figures; large organizations read them, with live counts", async () => {
    const { viewer, file } = await organization();
    await file(viewer, "First", { category: "bug", priority: "high" });
    expect((await ticketStats(viewer)).computedAt).toBeNull(); // small: everything live

    const run = await refreshStatsSnapshots();
    expect(run.organizations).toBeGreaterThanOrEqual(1);
    const snapshot = await db.statsSnapshot.findUniqueOrThrow({
      where: { organizationId: viewer.organizationId },
    });
    expect(snapshot.stats).toMatchObject({ counts: { total: 1, openBugs: 1, openHigh: 1 } });

    // Past the threshold: times and chart from the snapshot, counts still live.
    await db.$executeRaw`
      INSERT INTO "Ticket" (id, "organizationId", number, title, description, category, priority, "updatedAt")
      SELECT ${viewer.organizationId} || '-bulk-' || g, ${viewer.organizationId}, 1000 + g, 'Bulk', '', 'general', 'low', now()
      FROM generate_series(1, ${LIVE_STATS_MAX_TICKETS}) g`;
    const stored = await storeStatsSnapshot(viewer.organizationId);
    await file(viewer, "Filed after the snapshot", { category: "bug", priority: "critical" });
    const stats = await ticketStats(viewer);
    expect(stats.computedAt?.getTime()).toBe(stored.computedAt.getTime());
    expect(stats.counts).toMatchObject({ total: LIVE_STATS_MAX_TICKETS + 2, openBugs: 2, openCritical: 1 });
    expect(stats.perDay.at(-1)?.opened).toBe(LIVE_STATS_MAX_TICKETS + 1); // as stored

    // An old snapshot (the job not running) is recomputed when read.
    await db.statsSnapshot.update({
      where: { organizationId: viewer.organizationId },
      data: { computedAt: new Date(Date.now() - 60 * 60_000) },
    });
    const recomputed = await ticketStats(viewer);
    expect(recomputed.computedAt!.getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(recomputed.perDay.at(-1)?.opened).toBe(LIVE_STATS_MAX_TICKETS + 2);
  });
});
