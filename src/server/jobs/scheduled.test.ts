import cronParser from "cron-parser";
import { describe, expect, it } from "vitest";

import { QUEUES } from "./queues";
import { SCHEDULED_JOBS } from "./scheduled";

/** The next runs of a cron expression, parsed the way pg-boss's scheduler parses it (UTC). */
function nextRuns(cron: string, from: string, count: number) {
  const interval = cronParser.parseExpression(cron, { tz: "UTC", currentDate: new Date(from) });
  return Array.from({ length: count }, () => interval.next().toDate().toISOString());
}

const scheduled = (queue: string) => {
  const job = SCHEDULED_JOBS.find((entry) => entry.queue === queue);
  expect(job, `${queue} is in SCHEDULED_JOBS`).toBeDefined();
  return job!;
};

describe("scheduled jobs", () => {
  it("each runs on a declared queue, once, with a valid cron expression", () => {
    const queueNames: string[] = Object.values(QUEUES).map((queue) => queue.name);
    for (const job of SCHEDULED_JOBS) {
      expect(queueNames).toContain(job.queue);
      expect(() => nextRuns(job.cron, "2026-11-22T00:00:00Z", 1)).not.toThrow();
    }
    expect(new Set(SCHEDULED_JOBS.map((job) => job.queue)).size).toBe(SCHEDULED_JOBS.length);
  });

  it("checks for stale tickets every 15 minutes", () => {
    const { cron } = scheduled(QUEUES.staleTickets.name);
    expect(nextRuns(cron, "2026-11-22T10:07:00Z", 3)).toEqual([
      "2026-11-22T10:15:00.000Z",
      "2026-11-22T10:30:00.000Z",
      "2026-11-22T10:45:00.000Z",
    ]);
  });

  it("stores the weekly reports on Mondays at 06:00 UTC", () => {
    const { cron } = scheduled(QUEUES.weeklyReports.name);
    // From a Sunday: the next two Mondays.
    expect(nextRuns(cron, "2026-11-22T01:00:00Z", 2)).toEqual([
      "2026-11-23T06:00:00.000Z",
      "2026-11-30T06:00:00.000Z",
    ]);
  });
});
