import "server-only";

import { Rejected, type ProviderDefinition, type TicketingProvider } from "../types";
import { jiraChecks } from "./checks";
import { connectJira, trimUrl } from "./client";
import { jiraIssues } from "./issues";
import { listIssueTypes, listProjects } from "./metadata";
import { jiraRest } from "./rest";
import { JIRA_MODES, parseJiraSettings } from "./schemas";
import { jiraSync } from "./sync";

/** Jira Cloud (API token or the user's Atlassian OAuth grant) and Jira Server / Data Center (PAT). */
export const jiraProvider: ProviderDefinition = {
  id: "jira",
  name: "Jira",
  description: "Issues in Jira Cloud, Jira Server and Jira Data Center.",
  available: true,
  modes: JIRA_MODES,

  describeTarget(mode, config) {
    if (mode === "cloud_oauth")
      return { baseUrl: trimUrl(String(config.siteUrl ?? "")), deployment: "CLOUD" };
    const baseUrl = trimUrl(String(config.baseUrl ?? ""));
    if (mode === "server_pat")
      return { baseUrl, deployment: config.deployment === "SERVER" ? "SERVER" : "DATA_CENTER" };
    return { baseUrl, deployment: "CLOUD" };
  },

  create(context): TicketingProvider {
    const parsed = parseJiraSettings(context.mode, context.config, context.credentials);
    if (!parsed.ok) {
      const problems = Object.entries(parsed.fieldErrors).map(([field, message]) => `${field}: ${message}`);
      throw new Rejected(
        `The Jira connection settings are incomplete or invalid (${problems.join("; ")}).`,
        parsed.fieldErrors,
      );
    }
    const { settings } = parsed;
    const connection = connectJira(settings, context);
    const rest = jiraRest(connection);
    return {
      ...jiraChecks(rest, connection, settings),
      ...jiraIssues(rest, connection, settings),
      ...jiraSync(rest, connection, settings),
      listProjects: () => listProjects(rest, connection.version),
      listIssueTypes: (projectKey) => listIssueTypes(rest, projectKey),
    };
  },
};
