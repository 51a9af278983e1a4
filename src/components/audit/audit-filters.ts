/** The audit log's filters as they live in the address: `/admin/audit?action=ticket.&entityType=Ticket`. */
export type AuditFilters = {
  /** An action prefix: "integration.", "external_issue.failed". */
  action?: string;
  entityType?: string;
  entityId?: string;
};

export const ACTION_GROUPS = [
  { value: "ticket.", label: "Tickets (ticket.)" },
  { value: "external_issue.", label: "External issues (external_issue.)" },
  { value: "integration.", label: "Integrations (integration.)" },
  { value: "organization.", label: "Organization (organization.)" },
] as const;

export const ENTITY_TYPES = [
  { value: "Ticket", label: "Ticket" },
  { value: "ExternalIssue", label: "External issue" },
  { value: "Integration", label: "Integration" },
  { value: "Organization", label: "Organization" },
] as const;

/** The server's limits (audit.schema.ts). */
const MAX_LENGTH = { action: 100, entityType: 50, entityId: 100 } as const;

export function isActionGroup(action: string | undefined): boolean {
  return ACTION_GROUPS.some((group) => group.value === action);
}

export function auditFiltersFromSearchParams(params: URLSearchParams): AuditFilters {
  const read = (key: keyof typeof MAX_LENGTH) =>
    params.get(key)?.trim().slice(0, MAX_LENGTH[key]) || undefined;
  return { action: read("action"), entityType: read("entityType"), entityId: read("entityId") };
}

export function searchParamsFromAuditFilters(filters: AuditFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of ["action", "entityType", "entityId"] as const) {
    const value = filters[key];
    if (value) params.set(key, value);
  }
  return params;
}

/** The address of the audit log narrowed to one entity. */
export function auditHrefFor(entityType: string, entityId: string): string {
  return `/admin/audit?${searchParamsFromAuditFilters({ entityType, entityId }).toString()}`;
}
