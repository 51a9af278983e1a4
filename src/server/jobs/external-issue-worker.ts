import "server-only";

import { attemptExternalIssueCreation } from "~/server/services/tickets/outbox";

import { isAttemptDue, requeueStalledExternalIssues, scheduleAfterLease } from "./external-issue-jobs";

/**
 * What a worker does with one `external-issue.create` job. Jobs may outnumber attempts (the safety
 * net queued with the row, a job that lost a race): the row decides whether this one is due.
 */
export async function runExternalIssueJob(externalIssueId: string): Promise<string> {
  if (!(await isAttemptDue(externalIssueId))) return "not_due";
  const { state } = await attemptExternalIssueCreation({ externalIssueId });
  // Someone else holds the lease; if they die, this comes back when it ends.
  if (state === "SKIPPED") await scheduleAfterLease(externalIssueId);
  return state;
}

/** The periodic sweep: nothing stays PENDING with nobody working on it. */
export async function runOutboxSweep(): Promise<{ requeued: number }> {
  const requeued = await requeueStalledExternalIssues();
  return { requeued: requeued.length };
}
