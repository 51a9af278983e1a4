import "server-only";

import type { TicketCategory, TicketPriority } from "~/lib/domain";
import { Rejected, type ExternalIssueType, type NormalizedTicket } from "~/server/integrations/types";
import type { IntegrationSettings } from "~/server/services/integrations/integrations.schema";

/** Defaults; each integration may override them in its settings. */
export const DEFAULT_ISSUE_TYPES: Record<TicketCategory, string> = {
  technical: "Bug",
  billing: "Task",
  feature_request: "Story",
  bug: "Bug",
  general: "Task",
};

export const DEFAULT_PRIORITIES: Record<TicketPriority, string> = {
  low: "Low",
  medium: "Medium",
  high: "High",
  critical: "Highest",
};

/** Fields TicketBridge fills itself, or that Jira fills when left out. */
const FILLED_FIELDS = new Set([
  "summary",
  "description",
  "issuetype",
  "project",
  "reporter",
  "priority",
  "labels",
]);

type MappableTicket = {
  title: string;
  description: string;
  category: TicketCategory;
  priority: TicketPriority;
};

/** The ticket in the external system's vocabulary, with the idempotency marker. */
export function mapTicket(
  ticket: MappableTicket,
  settings: IntegrationSettings,
  marker: string,
): NormalizedTicket {
  return {
    marker,
    title: ticket.title,
    description: ticket.description,
    issueType: settings.categoryToIssueType[ticket.category] ?? DEFAULT_ISSUE_TYPES[ticket.category],
    priority: settings.priorityMapping[ticket.priority] ?? DEFAULT_PRIORITIES[ticket.priority],
    labels: ["source:ticketbridge", `category:${ticket.category}`],
  };
}

/**
 * Checks the mapped ticket against the project's create-meta before anything is created, so the
 * person sees which field is wrong instead of a failed creation: an issue type the project lacks,
 * or a required field TicketBridge has no value for.
 */
export function checkAgainstCreateMeta(
  ticket: NormalizedTicket,
  projectKey: string,
  issueTypes: ExternalIssueType[],
) {
  const wanted = ticket.issueType.toLowerCase();
  const issueType = issueTypes.find(
    (type) => type.name.toLowerCase() === wanted || type.id === ticket.issueType,
  );
  if (!issueType) {
    const available = issueTypes.map((type) => type.name).join(", ") || "none";
    throw new Rejected(
      `Project ${projectKey} has no issue type "${ticket.issueType}" (it has: ${available}). Change the category mapping in the integration's settings.`,
      { issuetype: `"${ticket.issueType}" does not exist in ${projectKey}` },
    );
  }
  const missing = (issueType.fields ?? []).filter(
    (field) =>
      field.required &&
      !field.hasDefaultValue &&
      !FILLED_FIELDS.has(field.id) &&
      !(field.id in (ticket.fields ?? {})),
  );
  if (missing.length > 0) {
    throw new Rejected(
      `Jira requires ${missing.map((field) => `"${field.name}" (${field.id})`).join(", ")} for ${issueType.name} in ${projectKey}, and TicketBridge has no value for it. Ask a Jira admin to make it optional or give it a default.`,
      Object.fromEntries(missing.map((field) => [field.id, `${field.name} is required`])),
    );
  }
  const priority = ticket.priority;
  const priorityField = issueType.fields?.find((field) => field.id === "priority");
  // Projects without a priority field (or with other names) get the issue without one.
  const keepPriority =
    priority &&
    (!priorityField?.allowedValues || priorityField.allowedValues.some((value) => value.name === priority));
  return { ...ticket, issueType: issueType.name, priority: keepPriority ? priority : undefined };
}
