import "server-only";

import type { TicketStatus, TicketType } from "~/generated/prisma/client";
import { TICKET_PRIORITIES, type TicketCategory, type TicketPriority } from "~/lib/domain";
import type { IntegrationSettings } from "~/server/services/integrations/integrations.schema";
import { MAX_TITLE_LENGTH } from "~/server/services/tickets/tickets.schema";

/** Jira's vocabulary → TicketBridge's, for changes coming in from Jira. */

/**
 * A Jira status as a ticket status. The status category decides (it is the same in every
 * workflow and language): new → OPEN, indeterminate → IN_PROGRESS, done → CLOSED when the
 * status is named like "Done" or "Closed" (the work is over), otherwise RESOLVED ("Resolved",
 * "Fixed", "Won't do": finished, but not called closed). Without a category the name decides,
 * by the same rule and /progress|review/ for IN_PROGRESS.
 */
export function ticketStatusFor(status: { name: string; categoryKey?: string | null }): TicketStatus {
  const category = status.categoryKey ?? categoryFromName(status.name);
  if (category === "done") return /closed|done/i.test(status.name) ? "CLOSED" : "RESOLVED";
  if (category === "indeterminate") return "IN_PROGRESS";
  return "OPEN";
}

function categoryFromName(name: string): "new" | "indeterminate" | "done" {
  if (/closed|done|resolved|fixed/i.test(name)) return "done";
  if (/progress|review/i.test(name)) return "indeterminate";
  return "new";
}

const DEFAULT_PRIORITY_NAMES: Record<string, TicketPriority> = {
  lowest: "low",
  low: "low",
  medium: "medium",
  high: "high",
  highest: "critical",
  critical: "critical",
  blocker: "critical",
};

/**
 * A Jira priority name as a ticket priority: the integration's own priority mapping read
 * backwards first (so a custom scheme round-trips), then Jira's default names. Null: no match.
 */
export function ticketPriorityFor(
  name: string,
  mapping: IntegrationSettings["priorityMapping"] = {},
): TicketPriority | null {
  const wanted = name.trim().toLowerCase();
  const custom = TICKET_PRIORITIES.find((priority) => mapping[priority]?.trim().toLowerCase() === wanted);
  return custom ?? DEFAULT_PRIORITY_NAMES[wanted] ?? null;
}

/** What an issue imported from Jira becomes: bugs are bugs, stories and features requests. */
export function ticketKindFor(issueTypeName: string | undefined): {
  type: TicketType;
  category: TicketCategory;
} {
  const name = (issueTypeName ?? "").toLowerCase();
  if (name.includes("bug")) return { type: "BUG", category: "bug" };
  if (/story|feature|improvement|epic/.test(name)) return { type: "FEATURE", category: "feature_request" };
  return { type: "SUPPORT", category: "general" };
}

/** A Jira summary as a ticket title (one line, at most the title limit); null when blank. */
export function ticketTitleFor(summary: string | null | undefined): string | null {
  const line = (summary ?? "").replace(/\s+/g, " ").trim();
  if (!line) return null;
  return line.length <= MAX_TITLE_LENGTH ? line : `${line.slice(0, MAX_TITLE_LENGTH - 1).trimEnd()}…`;
}
