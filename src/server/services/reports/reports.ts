import "server-only";

import type { z } from "zod";

import type { Viewer } from "~/server/api/trpc";
import { db } from "~/server/db";
import { AppError, parseInput } from "~/server/errors";

import { generateReportInput, reportIdInput } from "./reports.schema";
import { storeWeeklyReport, weekBefore, weekOf, WEEKLY, type WeeklySummary } from "./weekly-report";

/** The reports agents and admins read: stored weekly reports of their organization. */

const STAFF_ROLES = new Set(["OWNER", "ADMIN", "AGENT"]);

function assertStaff(viewer: Viewer) {
  if (!STAFF_ROLES.has(viewer.role)) {
    throw new AppError("FORBIDDEN", "Reports are for agents and admins of this organization.");
  }
}

export async function listReports(viewer: Viewer) {
  assertStaff(viewer);
  return db.report.findMany({
    where: { organizationId: viewer.organizationId },
    orderBy: [{ periodStart: "desc" }, { kind: "asc" }],
    take: 104,
    select: { id: true, kind: true, periodStart: true, periodEnd: true, createdAt: true },
  });
}

export async function getReport(viewer: Viewer, input: z.input<typeof reportIdInput>) {
  assertStaff(viewer);
  const { id } = parseInput(reportIdInput, input, "report");
  const report = await db.report.findFirst({
    where: { id, organizationId: viewer.organizationId },
    select: { id: true, kind: true, periodStart: true, periodEnd: true, createdAt: true, summary: true },
  });
  if (!report) throw new AppError("NOT_FOUND", "This report does not exist in your organization.");
  return { ...report, summary: report.summary as unknown as WeeklySummary };
}

/** The report's CSV and a file name for the download. */
export async function getReportCsv(viewer: Viewer, id: string) {
  assertStaff(viewer);
  const report = await db.report.findFirst({
    where: { id, organizationId: viewer.organizationId },
    select: { kind: true, periodStart: true, csv: true },
  });
  if (!report) throw new AppError("NOT_FOUND", "This report does not exist in your organization.");
  const day = report.periodStart.toISOString().slice(0, 10);
  return { filename: `ticketbridge-${report.kind}-${day}.csv`, csv: report.csv };
}

/** "Generate now" for the week running or the week before; replaces that week's stored report. */
export async function generateReport(viewer: Viewer, input: z.input<typeof generateReportInput>) {
  assertStaff(viewer);
  const { week } = parseInput(generateReportInput, input, "report");
  const now = new Date();
  const period = week === "current" ? weekOf(now) : weekBefore(now);
  const report = await storeWeeklyReport(viewer.organizationId, period, now);
  return { ...report, kind: WEEKLY };
}
