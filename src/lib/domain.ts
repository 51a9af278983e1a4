/** Vocabulary shared by the server and the browser. */

/** Members' roles in an organization, as people read them. */
export const ROLE_LABELS = { OWNER: "Owner", ADMIN: "Admin", AGENT: "Agent", CUSTOMER: "Customer" } as const;

export const TICKET_CATEGORIES = ["technical", "billing", "feature_request", "bug", "general"] as const;
export type TicketCategory = (typeof TICKET_CATEGORIES)[number];

export const TICKET_PRIORITIES = ["low", "medium", "high", "critical"] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];

/** Integration checks, in the order they run: each needs the previous one to pass. */
export const CHECK_TYPES = ["connection", "authentication", "project_access", "permissions"] as const;
export type CheckType = (typeof CHECK_TYPES)[number];

export const CHECK_LABELS: Record<CheckType, string> = {
  connection: "Connection",
  authentication: "Authentication",
  project_access: "Project access",
  permissions: "Permissions",
};

export const INTEGRATION_STATUSES = [
  "PENDING",
  "ACTIVE",
  "INACTIVE",
  "ERROR",
  "EXPIRED",
  "SUSPENDED",
] as const;
export type IntegrationStatusName = (typeof INTEGRATION_STATUSES)[number];
