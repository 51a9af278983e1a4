import type { TicketCategory, TicketPriority } from "~/lib/domain";
import type { SYNC_STATES, TICKET_STATUSES } from "~/server/services/tickets/tickets.schema";

export type TicketStatusName = (typeof TICKET_STATUSES)[number];
export type SyncStateName = (typeof SYNC_STATES)[number];

export const CATEGORY_LABELS: Record<TicketCategory, string> = {
  technical: "Technical",
  billing: "Billing",
  feature_request: "Feature request",
  bug: "Bug",
  general: "General",
};

export const PRIORITY_LABELS: Record<TicketPriority, string> = {
  low: "Low",
  medium: "Medium",
  high: "High",
  critical: "Critical",
};

export const TICKET_STATUS_LABELS: Record<TicketStatusName, string> = {
  OPEN: "Open",
  IN_PROGRESS: "In progress",
  RESOLVED: "Resolved",
  CLOSED: "Closed",
};

export const SYNC_STATE_LABELS: Record<SyncStateName, string> = {
  PENDING: "Pending",
  CREATED: "Created",
  FAILED: "Failed",
};

/** A stored value in words; unknown values are shown as they are. */
export function labelOf<K extends string>(labels: Record<K, string>, value: string): string {
  return labels[value as K] ?? value;
}
