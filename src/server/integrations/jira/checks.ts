import "server-only";

import { NotFound, ProviderError, type CheckResult, type CheckType, type ProviderErrorCode } from "../types";
import type { JiraConnection } from "./client";
import { findIssueType, fieldsOf, issueTypesOf, listProjects } from "./metadata";
import {
  parseResponse,
  permissionsSchema,
  projectSchema,
  serverInfoSchema,
  userSchema,
  type JiraServerInfo,
} from "./mapping";
import type { JiraRest } from "./rest";
import { cloudApiTokenMode, cloudOAuthMode, serverPatMode, type JiraSettings } from "./schemas";

/**
 * The four checks the wizard runs. Each one answers with a CheckResult; expected failures
 * (unreachable, wrong token, missing permission, …) are failed checks, never exceptions.
 */

type Outcome = { passed: boolean; message: string; errorCode?: ProviderErrorCode };

const pass = (message: string): Outcome => ({ passed: true, message });
const fail = (message: string, errorCode: ProviderErrorCode): Outcome => ({
  passed: false,
  message,
  errorCode,
});

/** Fields TicketBridge fills itself; other required fields need a mapping. */
const FILLED_FIELDS = new Set([
  "summary",
  "issuetype",
  "project",
  "description",
  "priority",
  "labels",
  "reporter",
]);

export function jiraChecks(rest: JiraRest, connection: JiraConnection, settings: JiraSettings) {
  const { projectKey, defaultIssueType } = settings.config;
  const where =
    settings.mode === "cloud_oauth"
      ? `${settings.config.siteName} (${connection.siteUrl})`
      : connection.siteUrl;

  async function reachability(): Promise<Outcome> {
    let data: unknown;
    try {
      data = await rest.serverInfo();
    } catch (error) {
      const status = error instanceof ProviderError ? error.details.status : undefined;
      if (status === undefined) throw error; // unreachable, unsafe, …: reported as they are
      // A redirect's message already says where to go instead.
      if (status >= 300 && status < 400) return fail((error as ProviderError).message, "NOT_FOUND");
      // Outages, rate limits and a refused OAuth grant are reported as they are; anything else
      // means something answered, and not the way Jira does.
      if (status >= 500 || status === 429 || settings.mode === "cloud_oauth") throw error;
      return (await serverOrDataCenter()) ?? fail(notJira(`HTTP ${status}`), "NOT_FOUND");
    }
    const info = serverInfoSchema.safeParse(data);
    if (!info.success) return fail(notJira(describeAnswer(data)), "NOT_FOUND");
    return deploymentOutcome(info.data);
  }

  /** Server / Data Center has no REST v3: when v3 is missing, v2 tells whether this is one. */
  async function serverOrDataCenter(): Promise<Outcome | null> {
    if (connection.version === 2) return null;
    const info = serverInfoSchema.safeParse(await rest.serverInfoV2().catch(() => null));
    return info.success ? deploymentOutcome(info.data) : null;
  }

  function notJira(answer: string): string {
    const path = `/rest/api/${connection.version}/serverInfo`;
    if (settings.mode === "cloud_oauth") {
      return `Atlassian did not return Jira's server information for the site ${where} (${answer}). Choose the site again, or reconnect your Atlassian account.`;
    }
    const advice =
      settings.mode === "cloud_api_token"
        ? "Enter the address you open Jira at in the browser, e.g. https://your-team.atlassian.net — without paths such as /jira/software/…"
        : "Enter the address you open Jira at, including its context path if it has one, e.g. https://jira.example.com or https://example.com/jira.";
    return `${where} answered with ${answer}, but it does not look like Jira: there is no Jira server information at ${path}. ${advice}`;
  }

  function deploymentOutcome(info: JiraServerInfo): Outcome {
    const type = (info.deploymentType ?? "").toLowerCase().replace(/[\s_-]/g, "");
    const product =
      type === "cloud"
        ? "Jira Cloud"
        : type === "datacenter"
          ? "Jira Data Center"
          : type === "server"
            ? "Jira Server"
            : "Jira";
    if (settings.mode !== "server_pat" && type && type !== "cloud") {
      return fail(
        `${where} is ${product} ${info.version}, not Jira Cloud. Connect it with “${serverPatMode.label}” instead.`,
        "REJECTED",
      );
    }
    if (settings.mode === "server_pat" && type === "cloud") {
      return fail(
        `${where} is Jira Cloud. Personal access tokens exist only on Jira Server and Data Center: connect it with “${cloudApiTokenMode.label}” or “${cloudOAuthMode.label}” instead.`,
        "REJECTED",
      );
    }
    if (settings.mode === "server_pat") {
      const chosen = settings.config.deployment === "DATA_CENTER" ? "datacenter" : "server";
      const note =
        type && type !== chosen
          ? ` It reports itself as ${product}, not ${chosen === "server" ? "Server" : "Data Center"}: you may want to change the deployment setting.`
          : "";
      return pass(`Reached ${product} ${info.version} at ${where}.${note}`);
    }
    return pass(`Reached Jira Cloud at ${where}.`);
  }

  async function authentication(): Promise<Outcome> {
    const me = parseResponse(userSchema, await rest.myself(), "/myself");
    const name = me.displayName ?? me.name ?? me.accountId ?? "an unnamed account";
    return pass(`Signed in to Jira as ${name}${me.emailAddress ? ` (${me.emailAddress})` : ""}.`);
  }

  async function projectAccess(): Promise<Outcome> {
    try {
      const project = parseResponse(projectSchema, await rest.project(projectKey), "the project request");
      return pass(`Project ${project.key} (${project.name}) is visible to this account.`);
    } catch (error) {
      if (!(error instanceof NotFound)) throw error;
      const visible = await listProjects(rest, connection.version, 10).catch(() => null);
      const hint =
        visible === null
          ? ""
          : visible.length === 0
            ? " This account cannot see any project."
            : ` Projects this account can see: ${visible.map((project) => project.key).join(", ")}.`;
      return fail(
        `Project ${projectKey} was not found, or this account cannot browse it.${hint}`,
        "NOT_FOUND",
      );
    }
  }

  async function permissions(): Promise<Outcome> {
    const { permissions: held } = parseResponse(
      permissionsSchema,
      await rest.myPermissions(projectKey, ["CREATE_ISSUES", "BROWSE_PROJECTS"]),
      "the permission check",
    );
    if (!held.BROWSE_PROJECTS?.havePermission) {
      return fail(
        `This account cannot browse project ${projectKey}; ask a Jira admin for the Browse Projects permission in ${projectKey}.`,
        "FORBIDDEN",
      );
    }
    if (!held.CREATE_ISSUES?.havePermission) {
      return fail(
        `This account can see project ${projectKey} but cannot create issues in it; ask a Jira admin for the Create Issues permission in ${projectKey}.`,
        "FORBIDDEN",
      );
    }
    const types = await issueTypesOf(rest, projectKey);
    const type = findIssueType(types, defaultIssueType);
    if (!type) {
      const available = types.filter((candidate) => !candidate.subtask).map((candidate) => candidate.name);
      return fail(
        `The issue type “${defaultIssueType}” cannot be created in ${projectKey}. ${available.length > 0 ? `Available: ${available.join(", ")}.` : "No issue type is available there."} Change the default issue type.`,
        "NOT_FOUND",
      );
    }
    const unfilled = (await fieldsOf(rest, projectKey, type.id)).filter(
      (field) => field.required && !field.hasDefaultValue && !FILLED_FIELDS.has(field.id),
    );
    const note =
      unfilled.length > 0
        ? ` Note: ${type.name} issues there also require ${unfilled.map((field) => `${field.name} (${field.id})`).join(", ")}; map a value for ${unfilled.length > 1 ? "them" : "it"}, or Jira will reject new issues.`
        : "";
    return pass(`This account can create ${type.name} issues in ${projectKey}.${note}`);
  }

  return {
    testConnection: () => timed("connection", reachability),
    testAuthentication: () => timed("authentication", authentication),
    testProjectAccess: () => timed("project_access", projectAccess),
    testPermissions: () => timed("permissions", permissions),
  };
}

function describeAnswer(data: unknown): string {
  if (typeof data !== "string") return "JSON of another kind";
  return /^\s*</.test(data) ? "an HTML page" : "plain text";
}

async function timed(type: CheckType, run: () => Promise<Outcome>): Promise<CheckResult> {
  const started = performance.now();
  let outcome: Outcome;
  try {
    outcome = await run();
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error; // a bug, not a failed check
    outcome = fail(error.message, error.code);
  }
  return { type, ...outcome, durationMs: Math.round(performance.now() - started) };
}
