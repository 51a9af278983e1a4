import { describe, expect, it } from "vitest";

import type { Viewer } from "~/server/api/trpc";
import { db } from "~/server/db";
import { createMember, setupTestDatabase } from "~/test/db";

import { addTicketComment, changeTicketStatus } from "./ticket-changes";
import { ticketStats } from "./ticket-stats";
import { createTicket } from "./tickets";

setupTestDatabase();

const HOUR = 3_600_000;

describe("support overview", () => {
  it("counts open tickets by type and priority, and measures response and resolution against targets", async () => {
    const owner = await createMember("OWNER");
    const viewer: Viewer = { userId: owner.user.id, organizationId: owner.organization!.id, role: "OWNER" };
    const customer = await db.user.create({ data: { name: "Cy", email: `cy-${Date.now()}@example.test` } });
    const file = async (
      category: "bug" | "feature_request" | "billing",
      priority: "high" | "critical" | "low",
    ) => {
      const { ticket } = await createTicket(
        { ...viewer, userId: customer.id },
        { title: "t", category, priority },
      );
      return ticket.id;
    };
    const bug = await file("bug", "critical");
    const feature = await file("feature_request", "high");
    const billing = await file("billing", "low");

    // Answered and resolved through the app, then the clock is set back to known durations.
    await addTicketComment(viewer, { ticketId: bug, body: "On it." });
    await addTicketComment(viewer, { ticketId: feature, body: "Internal only", internal: true });
    await changeTicketStatus(viewer, { ticketId: bug, status: "RESOLVED" });
    const created = new Date(Date.now() - 30 * HOUR);
    await db.ticket.update({
      where: { id: bug },
      data: {
        createdAt: created,
        firstResponseAt: new Date(created.getTime() + 2 * HOUR),
        resolvedAt: new Date(created.getTime() + 30 * HOUR),
      },
    });

    const stats = await ticketStats(viewer, { days: 7 });
    expect(stats.counts).toEqual({
      total: 3,
      openBugs: 0,
      openFeatures: 1,
      openSupport: 1,
      openHigh: 1,
      openCritical: 0,
      stale: 0,
    });
    const critical = stats.times.find((row) => row.priority === "critical")!;
    expect(critical).toMatchObject({
      responded: 1,
      medianFirstResponseSeconds: 2 * 3_600,
      firstResponseWithinTarget: 1, // under 4 h
      resolved: 1,
      medianResolutionSeconds: 30 * 3_600,
      resolutionWithinTarget: 0, // over 24 h
    });
    // An internal note is not an answer to the customer.
    expect(stats.times.find((row) => row.priority === "high")).toMatchObject({ responded: 0 });
    expect((await db.ticket.findUniqueOrThrow({ where: { id: billing } })).firstResponseAt).toBeNull();
    expect(stats.perDay).toHaveLength(7);
    expect(stats.perDay.at(-1)).toMatchObject({ opened: 2, resolved: 1 });
    expect(stats.perDay.reduce((sum, day) => sum + day.opened, 0)).toBe(3);
    expect(stats.perDay.reduce((sum, day) => sum + day.resolved, 0)).toBe(1);
  });
});
