import { db } from "~/server/db";

/**
 * The one insert the benchmark's bare routes make: a ticket with no session, validation, numbering
 * or audit, committed on its own, as little as keeping an internal record can cost.
 */
export function insertBenchTicket({ organizationId, number, title }: BenchTicket) {
  return db.ticket.create({
    data: { organizationId, number, title, description: "", category: "general", priority: "low" },
    select: { id: true, number: true },
  });
}

export type BenchTicket = { organizationId: string; number: number; title: string };
