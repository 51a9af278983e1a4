import "server-only";

import { jiraProvider } from "./jira/provider";
import { comingSoon } from "./coming-soon";
import type { ConnectionMode, ProviderDefinition, ProviderId } from "./types";

/** The one place that lists providers. Everything else asks the registry. */
const PROVIDERS: Record<ProviderId, ProviderDefinition> = {
  jira: jiraProvider,
  salesforce: comingSoon("salesforce", "Salesforce", "Cases in Salesforce Service Cloud."),
  linear: comingSoon("linear", "Linear", "Issues in Linear teams."),
  servicenow: comingSoon("servicenow", "ServiceNow", "Incidents in ServiceNow ITSM."),
  zendesk: comingSoon("zendesk", "Zendesk", "Tickets in Zendesk Support."),
  asana: comingSoon("asana", "Asana", "Tasks in Asana projects."),
  monday: comingSoon("monday", "Monday", "Items on monday.com boards."),
  clickup: comingSoon("clickup", "ClickUp", "Tasks in ClickUp lists."),
};

export class UnknownProviderError extends Error {
  constructor(readonly providerId: string) {
    super(`Unknown ticketing system "${providerId}". Choose one of: ${Object.keys(PROVIDERS).join(", ")}.`);
    this.name = "UnknownProviderError";
  }
}

export class UnknownConnectionModeError extends Error {
  constructor(
    providerId: string,
    readonly modeId: string,
  ) {
    super(`"${modeId}" is not a way to connect ${providerId}.`);
    this.name = "UnknownConnectionModeError";
  }
}

export function isProviderId(value: string): value is ProviderId {
  return Object.hasOwn(PROVIDERS, value);
}

export function getProvider(providerId: string): ProviderDefinition {
  if (!isProviderId(providerId)) throw new UnknownProviderError(providerId);
  return PROVIDERS[providerId];
}

export function getConnectionMode(providerId: string, modeId: string): ConnectionMode {
  const mode = getProvider(providerId).modes.find((candidate) => candidate.id === modeId);
  if (!mode) throw new UnknownConnectionModeError(providerId, modeId);
  return mode;
}

export function listProviders(): ProviderDefinition[] {
  return Object.values(PROVIDERS);
}
