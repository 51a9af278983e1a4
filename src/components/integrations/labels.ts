import type { IntegrationStatusName } from "~/lib/domain";

export const STATUS_LABELS: Record<IntegrationStatusName, string> = {
  PENDING: "Pending test",
  ACTIVE: "Active",
  INACTIVE: "Disabled",
  ERROR: "Error",
  EXPIRED: "Credentials expired",
  SUSPENDED: "Suspended",
};

export const STATUS_EXPLANATIONS: Record<IntegrationStatusName, string> = {
  PENDING: "Saved but not tested yet. Run the tests to activate it.",
  ACTIVE: "Receives tickets.",
  INACTIVE: "Disabled by an admin; it receives no tickets until it is enabled again.",
  ERROR: "A test or recent requests failed; it receives no tickets until a test passes.",
  EXPIRED: "The credentials were rejected or the grant was revoked; update them and test again.",
  SUSPENDED: "Paused after repeated rate limiting; it resumes by itself.",
};

export function statusLabel(status: string): string {
  return STATUS_LABELS[status as IntegrationStatusName] ?? status;
}

export const ACTIVATION_METHOD_LABELS: Record<string, string> = {
  AUTOMATIC: "automatically, after a passing test",
  MANUAL: "manually",
};

/** Audit actions of an integration, in words. */
export const HISTORY_ACTION_LABELS: Record<string, string> = {
  "integration.created": "Connected",
  "integration.updated": "Settings updated",
  "integration.status_changed": "Status changed",
  "integration.deleted": "Deleted",
};
