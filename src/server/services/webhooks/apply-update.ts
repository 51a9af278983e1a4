import "server-only";

import type { Prisma, Ticket } from "~/generated/prisma/client";
import type { JiraWebhookEvent, JiraWebhookIssue } from "~/server/integrations/jira/webhook";
import { settingsOf } from "~/server/services/integrations/integrations";

import { ticketPriorityFor, ticketStatusFor, ticketTitleFor } from "./inbound-mapping";
import {
  changesAwaitingEcho,
  ECHO,
  findLinkedIssue,
  ignored,
  memberForAtlassianAccount,
  notLinked,
  payloadField,
  processed,
  recordInboundSync,
  type LinkedIssue,
  type SyncOutcome,
  type SyncScope,
} from "./sync-scope";

/**
 * `jira:issue_updated`: the changelog's status, assignee, priority and summary items, applied to
 * the linked ticket. Items that are the echo of a change TicketBridge itself sent are skipped.
 */

type IssueUpdated = Extract<JiraWebhookEvent, { kind: "issue_updated" }>;

/** What the changelog asks for; a field left out did not change. */
type WantedChanges = {
  status?: { name: string; categoryKey: string | null };
  assignee?: { accountId: string | null };
  priority?: string;
  summary?: string;
};

export async function applyIssueUpdate(scope: SyncScope, event: IssueUpdated): Promise<SyncOutcome> {
  const link = await findLinkedIssue(scope, event.issue.id);
  if (!link?.ticket) return ignored(notLinked(event.issue.key));
  const wanted = wantedChanges(event);
  if (Object.keys(wanted).length === 0) {
    const fields = event.changes.map((change) => change.field).join(", ") || "none";
    return ignored(`no synced field changed (changed: ${fields})`);
  }
  const echoed = await dropEchoes(scope, link.id, wanted);
  if (Object.keys(wanted).length === 0) return ignored(`${ECHO} (${echoed.join(", ")})`);

  const diff = await diffAgainstTicket(scope, link, link.ticket, wanted);
  if (Object.keys(diff.after).length === 0) return ignored("the ticket is already up to date");
  if (Object.keys(diff.ticket).length > 0) {
    await scope.tx.ticket.update({
      where: { id: link.ticket.id, organizationId: scope.organizationId },
      // A change from Jira is activity: the ticket is no longer stale.
      data: { ...diff.ticket, staleSince: null },
    });
  }
  const summary = describe(diff.before, diff.after);
  await recordInboundSync(scope, link, {
    ticketId: link.ticket.id,
    reason: `Jira ${event.issue.key}: ${summary}`,
    before: diff.before,
    after: diff.after,
    ...(diff.externalStatus !== undefined ? { externalStatus: diff.externalStatus } : {}),
  });
  const notes = [...diff.notes, ...(echoed.length > 0 ? [`skipped ${ECHO}: ${echoed.join(", ")}`] : [])];
  return processed(
    `Applied from ${event.issue.key}: ${summary}${notes.length ? ` (${notes.join("; ")})` : ""}`,
  );
}

function wantedChanges({ changes, issue }: IssueUpdated): WantedChanges {
  const wanted: WantedChanges = {};
  for (const change of changes) {
    switch (change.field.toLowerCase()) {
      case "status": {
        const name = change.toString ?? issue.fields.status?.name;
        if (name) wanted.status = { name, categoryKey: statusCategoryOf(name, issue) };
        break;
      }
      case "assignee":
        wanted.assignee = { accountId: change.to };
        break;
      case "priority":
        if (change.toString) wanted.priority = change.toString;
        break;
      case "summary":
        if (change.toString) wanted.summary = change.toString;
        break;
    }
  }
  return wanted;
}

/** The category of the status the issue is in, when that is the status the item names. */
function statusCategoryOf(name: string, issue: JiraWebhookIssue): string | null {
  const current = issue.fields.status;
  if (!current || current.name.toLowerCase() !== name.toLowerCase()) return null;
  return current.statusCategory?.key ?? null;
}

/**
 * Removes the status and assignee changes that a pending or sent ExternalChange of this issue
 * made (its echo window still open); resolves to the fields removed.
 */
async function dropEchoes(scope: SyncScope, externalIssueId: string, wanted: WantedChanges) {
  const echoed: string[] = [];
  if (wanted.status) {
    const name = wanted.status.name.toLowerCase();
    const sent = await changesAwaitingEcho(scope, externalIssueId, "TRANSITION");
    // The Jira status the transition reached (recorded once sent); the internal name before that.
    const sentStatus = (payload: Prisma.JsonValue) => {
      const status = payloadField(payload, "reached") ?? payloadField(payload, "status");
      return typeof status === "string" ? status.toLowerCase() : null;
    };
    if (sent.some(({ payload }) => sentStatus(payload) === name)) {
      delete wanted.status;
      echoed.push("status");
    }
  }
  if (wanted.assignee) {
    const accountId = wanted.assignee.accountId;
    const sent = await changesAwaitingEcho(scope, externalIssueId, "ASSIGN");
    if (sent.some(({ payload }) => (payloadField(payload, "accountId") ?? null) === accountId)) {
      delete wanted.assignee;
      echoed.push("assignee");
    }
  }
  return echoed;
}

type TicketDiff = {
  ticket: Prisma.TicketUncheckedUpdateInput;
  before: Record<string, string | null>;
  after: Record<string, string | null>;
  externalStatus?: string;
  notes: string[];
};

/** The writes the wanted changes need: only fields whose value actually differs. */
async function diffAgainstTicket(
  scope: SyncScope,
  link: LinkedIssue,
  ticket: Ticket,
  wanted: WantedChanges,
): Promise<TicketDiff> {
  const diff: TicketDiff = { ticket: {}, before: {}, after: {}, notes: [] };
  const set = (field: string, before: string | null, after: string | null) => {
    if (before === after) return false;
    diff.before[field] = before;
    diff.after[field] = after;
    return true;
  };
  if (wanted.status) {
    const status = ticketStatusFor(wanted.status);
    if (set("status", ticket.status, status)) {
      diff.ticket.status = status;
      diff.ticket.resolvedAt = status === "RESOLVED" || status === "CLOSED" ? new Date() : null;
    }
    if (set("externalStatus", link.externalStatus, wanted.status.name))
      diff.externalStatus = wanted.status.name;
  }
  if (wanted.assignee) {
    const assigneeId = await memberForAtlassianAccount(scope, wanted.assignee.accountId);
    if (wanted.assignee.accountId && !assigneeId)
      diff.notes.push("the Jira assignee is not a member of this organization, so the ticket is unassigned");
    if (set("assigneeId", ticket.assigneeId, assigneeId)) diff.ticket.assigneeId = assigneeId;
  }
  if (wanted.priority) {
    const priority = ticketPriorityFor(wanted.priority, settingsOf(scope.integration).priorityMapping);
    if (!priority) diff.notes.push(`Jira priority "${wanted.priority}" has no ticket priority`);
    else if (set("priority", ticket.priority, priority)) diff.ticket.priority = priority;
  }
  const title = ticketTitleFor(wanted.summary);
  if (title && set("title", ticket.title, title)) diff.ticket.title = title;
  return diff;
}

function describe(before: Record<string, string | null>, after: Record<string, string | null>): string {
  return Object.keys(after)
    .map((field) => `${field} ${before[field] ?? "none"} → ${after[field] ?? "none"}`)
    .join(", ");
}
