import type { Session } from "next-auth";
import { describe, expect, it } from "vitest";

import { GET as downloadCsv } from "~/app/api/reports/[id]/csv/route";
import type { Role } from "~/generated/prisma/client";
import { createCaller } from "~/server/api/root";
import { createTRPCContext, type Viewer } from "~/server/api/trpc";
import { db } from "~/server/db";
import { createTicket } from "~/server/services/tickets/tickets";
import { createMember, setupTestDatabase, unique } from "~/test/db";
import { trpcRejection } from "~/test/rejections";

import { csvCell, toCsv } from "./csv";
import { CSV_HEADER, runWeeklyReports, storeWeeklyReport, weekBefore, weekOf, WEEKLY } from "./weekly-report";

setupTestDatabase();

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const callerFor = async (session: Session) =>
  createCaller(await createTRPCContext({ headers: new Headers(), session }));

const viewerOf = (session: Session): Viewer => ({
  userId: session.user.id,
  organizationId: session.organization!.id,
  role: session.role!,
});

async function colleague(owner: Session, role: Role, name = unique(role.toLowerCase())): Promise<Session> {
  const user = await db.user.create({ data: { name, email: `${unique("colleague")}@example.test` } });
  await db.membership.create({ data: { organizationId: owner.organization!.id, userId: user.id, role } });
  return { ...owner, user: { id: user.id, name, email: user.email }, role };
}

/** A signed-in browser's request for the CSV: a stored session and its cookie. */
async function requestCsv(session: Session | null, reportId: string) {
  const headers = new Headers();
  if (session) {
    const sessionToken = unique("token");
    await db.session.create({
      data: { sessionToken, userId: session.user.id, expires: new Date(Date.now() + HOUR) },
    });
    headers.set("cookie", `authjs.session-token=${sessionToken}`);
  }
  const request = new Request(`http://localhost/api/reports/${reportId}/csv`, { headers });
  return downloadCsv(request, { params: Promise.resolve({ id: reportId }) });
}

type Times = { createdAt: Date; firstResponseAt?: Date; resolvedAt?: Date; staleSince?: Date };

/** Files a ticket, then sets its title and clock as the scenario needs. */
async function fileTicket(
  viewer: Viewer,
  fields: {
    category: "bug" | "feature_request" | "billing";
    priority: "low" | "medium" | "high" | "critical";
  },
  title: string,
  times: Times,
  status?: "RESOLVED" | "CLOSED",
) {
  const { ticket } = await createTicket(viewer, { title: unique("Report ticket"), ...fields });
  await db.ticket.update({
    where: { id: ticket.id },
    data: { title, ...times, ...(status ? { status } : {}) },
  });
  return ticket;
}

/** Two weeks ago, so every figure is settled. */
const reportWeek = () => weekBefore(weekBefore(new Date()).start);

async function scenario() {
  const owner = await createMember("OWNER");
  const viewer = viewerOf(owner);
  // A customer whose name a spreadsheet would run as a formula.
  const reporter = viewerOf(await colleague(owner, "CUSTOMER", "@SUM(A1:A9)"));
  const { start, end } = reportWeek();
  const at = (offset: number) => new Date(start.getTime() + offset);

  const bug = await fileTicket(
    viewer,
    { category: "bug", priority: "critical" },
    '=HYPERLINK("http://evil.example","click")',
    { createdAt: at(10 * HOUR), firstResponseAt: at(12 * HOUR), resolvedAt: at(40 * HOUR) },
    "RESOLVED",
  );
  const feature = await fileTicket(
    viewer,
    { category: "feature_request", priority: "high" },
    'Export, "quoted"\nsecond line',
    { createdAt: at(2 * DAY) },
  );
  const olderSupport = await fileTicket(
    reporter,
    { category: "billing", priority: "low" },
    "-2+3 refund",
    { createdAt: at(-2 * DAY), firstResponseAt: at(-1 * DAY), resolvedAt: at(DAY) },
    "CLOSED",
  );
  // Open across the whole week and stale by its end: counted, not listed.
  await fileTicket(viewer, { category: "billing", priority: "medium" }, "Old and quiet", {
    createdAt: at(-20 * DAY),
    staleSince: at(-5 * DAY),
  });
  // Resolved before the week, and filed after it: neither counted nor listed.
  await fileTicket(
    viewer,
    { category: "bug", priority: "low" },
    "Done before",
    { createdAt: at(-10 * DAY), resolvedAt: at(-9 * DAY) },
    "RESOLVED",
  );
  await fileTicket(viewer, { category: "bug", priority: "high" }, "Filed after", {
    createdAt: new Date(end.getTime() + HOUR),
  });
  return { owner, viewer, week: { start, end }, bug, feature, olderSupport };
}

describe("weekly report", () => {
  it("counts the week's tickets by type and priority, times against targets, and lists them as CSV", async () => {
    const { owner, viewer, week, bug, feature, olderSupport } = await scenario();
    const stored = await storeWeeklyReport(viewer.organizationId, week);
    const report = await (await callerFor(owner)).report.get({ id: stored.id });

    expect(report).toMatchObject({ kind: WEEKLY, periodStart: week.start, periodEnd: week.end });
    const { summary } = report;
    expect(summary.complete).toBe(true);
    expect(summary.totals).toEqual({ opened: 2, resolved: 2, openAtEnd: 2, stale: 1 });
    expect(summary.byType).toEqual([
      { type: "BUG", opened: 1, resolved: 1, openAtEnd: 0 },
      { type: "FEATURE", opened: 1, resolved: 0, openAtEnd: 1 },
      { type: "SUPPORT", opened: 0, resolved: 1, openAtEnd: 1 },
    ]);
    expect(summary.byPriority).toEqual([
      { priority: "low", opened: 0, resolved: 1, openAtEnd: 0 },
      { priority: "medium", opened: 0, resolved: 0, openAtEnd: 1 },
      { priority: "high", opened: 1, resolved: 0, openAtEnd: 1 },
      { priority: "critical", opened: 1, resolved: 1, openAtEnd: 0 },
    ]);
    const times = Object.fromEntries(summary.times.map((row) => [row.priority, row]));
    expect(times.critical).toMatchObject({
      responded: 1,
      medianFirstResponseSeconds: 2 * 3_600,
      firstResponseWithinTarget: 1,
      resolved: 1,
      medianResolutionSeconds: 30 * 3_600,
      resolutionWithinTarget: 0,
    });
    // Its first response came the week before: only the resolution (3 days, target 1 week) counts.
    expect(times.low).toMatchObject({ responded: 0, resolved: 1, resolutionWithinTarget: 1 });

    const response = await requestCsv(owner, stored.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const day = week.start.toISOString().slice(0, 10);
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="ticketbridge-weekly-${day}.csv"`,
    );
    const iso = (date: Date) => date.toISOString();
    const ticketTimes = async (id: string) =>
      db.ticket.findUniqueOrThrow({
        where: { id },
        select: { createdAt: true, firstResponseAt: true, resolvedAt: true },
      });
    const [b, f, s] = await Promise.all([
      ticketTimes(bug.id),
      ticketTimes(feature.id),
      ticketTimes(olderSupport.id),
    ]);
    const ownerName = owner.user.name!;
    expect(await response.text()).toBe(
      [
        CSV_HEADER.join(","),
        `${bug.number},"'=HYPERLINK(""http://evil.example"",""click"")",BUG,critical,RESOLVED,${ownerName},${iso(b.createdAt)},${iso(b.firstResponseAt!)},${iso(b.resolvedAt!)},`,
        `${feature.number},"Export, ""quoted""\nsecond line",FEATURE,high,OPEN,${ownerName},${iso(f.createdAt)},,,`,
        `${olderSupport.number},'-2+3 refund,SUPPORT,low,CLOSED,'@SUM(A1:A9),${iso(s.createdAt)},${iso(s.firstResponseAt!)},${iso(s.resolvedAt!)},`,
        "",
      ].join("\r\n"),
    );
  });

  it("stores one report per organization and week, however often it runs", async () => {
    const { viewer, week } = await scenario();
    // The Monday run after the week, twice (pg-boss may retry it), and Generate now in between.
    const monday = new Date(week.end.getTime() + 7 * DAY + 6 * HOUR);
    await runWeeklyReports(new Date(week.end.getTime() + 6 * HOUR));
    const first = await db.report.findFirstOrThrow({ where: { organizationId: viewer.organizationId } });
    await storeWeeklyReport(viewer.organizationId, week);
    await runWeeklyReports(new Date(week.end.getTime() + 6 * HOUR));
    const reports = await db.report.findMany({ where: { organizationId: viewer.organizationId } });
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ id: first.id, kind: WEEKLY, periodStart: week.start, csv: first.csv });

    // The next Monday reports the next week, beside it.
    const result = await runWeeklyReports(monday);
    expect(result.week.start).toBe(week.end.toISOString());
    expect(await db.report.count({ where: { organizationId: viewer.organizationId } })).toBe(2);
  });

  it("generates the week running now up to now, and the week before", async () => {
    const owner = await createMember("ADMIN");
    const caller = await callerFor(owner);
    await createTicket(viewerOf(owner), { title: unique("This week"), category: "bug", priority: "high" });

    const current = await caller.report.generate({ week: "current" });
    expect(current.periodStart).toEqual(weekOf(new Date()).start);
    const report = await caller.report.get({ id: current.id });
    expect(report.summary.complete).toBe(false);
    expect(report.summary.totals.opened).toBe(1);
    expect(report.periodEnd.getTime()).toBeLessThanOrEqual(Date.now());

    const last = await caller.report.generate({ week: "last" });
    expect(last.periodStart).toEqual(weekBefore(new Date()).start);
    expect((await caller.report.list()).map(({ id }) => id)).toEqual([current.id, last.id]);
    // Again: the same report, brought up to date.
    expect((await caller.report.generate({ week: "current" })).id).toBe(current.id);
  });

  it("is for staff only: customers cannot list, read, generate or download; other organizations see nothing", async () => {
    const { owner, viewer, week } = await scenario();
    const stored = await storeWeeklyReport(viewer.organizationId, week);
    const customer = await colleague(owner, "CUSTOMER");
    const agent = await colleague(owner, "AGENT");
    const outsider = await createMember("OWNER");

    const asCustomer = await callerFor(customer);
    for (const attempt of [
      () => asCustomer.report.list(),
      () => asCustomer.report.get({ id: stored.id }),
      () => asCustomer.report.generate({ week: "last" }),
    ]) {
      const error = await trpcRejection(attempt());
      expect(error.code).toBe("FORBIDDEN");
    }
    expect((await requestCsv(customer, stored.id)).status).toBe(403);

    const asOutsider = await callerFor(outsider);
    expect(await asOutsider.report.list()).toEqual([]);
    expect((await trpcRejection(asOutsider.report.get({ id: stored.id }))).code).toBe("NOT_FOUND");
    const refused = await requestCsv(outsider, stored.id);
    expect(refused.status).toBe(404);
    expect(await refused.text()).not.toContain("HYPERLINK");

    expect((await requestCsv(null, stored.id)).status).toBe(401);
    // Agents read and download them.
    expect((await (await callerFor(agent)).report.list()).map(({ id }) => id)).toEqual([stored.id]);
    expect((await requestCsv(agent, stored.id)).status).toBe(200);
  });
});

describe("CSV cells", () => {
  it("quotes separators, doubles quotes and defuses formulas", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("one\ntwo")).toBe('"one\ntwo"');
    expect(csvCell("one\r\ntwo")).toBe('"one\r\ntwo"');
    for (const formula of ["=1+1", "+1", "-1", "@cmd", "\tx", "\rx"]) {
      expect(csvCell(formula).replace(/^"/, "")).toMatch(/^'/);
    }
    expect(csvCell('=cmd|" /C calc"!A0')).toBe(`"'=cmd|"" /C calc""!A0"`);
    expect(csvCell(null)).toBe("");
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell(new Date("2026-11-16T06:00:00Z"))).toBe("2026-11-16T06:00:00.000Z");
    expect(toCsv(["a", "b"], [[1, "x"]])).toBe("a,b\r\n1,x\r\n");
  });
});
