import { describe, expect, it } from "vitest";

import { db } from "~/server/db";
import { createMember, setupTestDatabase } from "~/test/db";

import { insertBenchTicket } from "./bench-ticket";

setupTestDatabase();

describe("the benchmark's bare insert", () => {
  it("writes the one ticket it is given, with nothing around it: no external link or audit event", async () => {
    const { organization } = await createMember("OWNER");
    const organizationId = organization!.id;

    const inserted = await insertBenchTicket({
      organizationId,
      number: 2_000_000,
      title: "Bench floor ticket",
    });

    const stored = await db.ticket.findUniqueOrThrow({ where: { id: inserted.id } });
    expect(stored).toMatchObject({ organizationId, number: 2_000_000, title: "Bench floor ticket" });
    expect(await db.externalIssue.count({ where: { ticketId: inserted.id } })).toBe(0);
    expect(await db.auditEvent.count({ where: { organizationId } })).toBe(0);
  });
});
