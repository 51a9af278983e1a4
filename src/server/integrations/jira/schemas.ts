import "server-only";

import { z } from "zod";

import { secret } from "../schema";
import type { ConnectionMode } from "../types";

/**
 * The three ways to connect Jira. Titles, descriptions and examples are what the wizard shows
 * next to each field, so they are written for the person filling in the form.
 */

const baseUrl = (examples: string[], description: string) =>
  z
    .url({
      protocol: /^https?$/,
      error: "Enter a web address starting with https://, e.g. https://your-team.atlassian.net.",
    })
    .meta({ title: "Jira URL", description, examples });

const projectKey = z
  .string()
  .trim()
  .regex(/^[A-Z][A-Z0-9_]{1,9}$/, {
    error:
      "Enter the project key as Jira shows it: 2–10 capital letters, digits or underscores, starting with a letter (e.g. OPS).",
  })
  .meta({
    title: "Project key",
    description: "The short key in front of issue numbers: OPS for OPS-123.",
    examples: ["OPS"],
  });

const defaultIssueType = z
  .string()
  .trim()
  .min(1, { error: "Enter the issue type new tickets get, e.g. Task or Bug." })
  .meta({
    title: "Default issue type",
    description:
      "The type new issues get unless a ticket asks for another: its name (Task, Bug) or id (10001).",
    examples: ["Task"],
  });

export const cloudApiTokenMode = {
  id: "cloud_api_token",
  label: "Jira Cloud — API token",
  description:
    "Connect a Jira Cloud site with the email address and an API token of one Atlassian account. Issues are created as that account.",
  configSchema: z.object({
    baseUrl: baseUrl(["https://your-team.atlassian.net"], "The address you open Jira at in your browser."),
    projectKey,
    defaultIssueType,
  }),
  credentialSchema: z.object({
    email: z.email({ error: "Enter the email address you sign in to Atlassian with." }).meta({
      title: "Atlassian account email",
      description: "The email address of the account that creates the issues.",
      examples: ["jira-bot@your-company.com"],
    }),
    apiToken: secret(
      z.string().trim().min(1, { error: "Paste an API token." }).meta({
        title: "API token",
        description:
          "Create one at https://id.atlassian.com/manage-profile/security/api-tokens while signed in as that account.",
      }),
    ),
  }),
  usesUserOAuthGrant: false,
} satisfies ConnectionMode;

export const cloudOAuthMode = {
  id: "cloud_oauth",
  label: "Jira Cloud — your Atlassian account",
  description:
    "Connect through your own Atlassian sign-in (OAuth). Issues are created as you, in a site you granted TicketBridge access to.",
  configSchema: z.object({
    cloudId: z.guid({ error: "Choose one of the Jira sites of your Atlassian account." }).meta({
      title: "Site ID",
      description: "Atlassian's id of the Jira site (filled in when you pick a site).",
    }),
    siteUrl: z
      .url({ protocol: /^https?$/, error: "Choose one of the Jira sites of your Atlassian account." })
      .meta({
        title: "Site address",
        description: "Where the site is opened in a browser.",
        examples: ["https://your-team.atlassian.net"],
      }),
    siteName: z
      .string()
      .trim()
      .min(1)
      .meta({ title: "Site name", examples: ["your-team"] }),
    projectKey,
    defaultIssueType,
  }),
  credentialSchema: z.object({}),
  usesUserOAuthGrant: true,
} satisfies ConnectionMode;

export const serverPatMode = {
  id: "server_pat",
  label: "Jira Server / Data Center — personal access token",
  description:
    "Connect a self-hosted Jira (version 8.14 or later) with a personal access token. Issues are created as the token's owner.",
  configSchema: z.object({
    baseUrl: baseUrl(
      ["https://jira.your-company.com", "https://your-company.com/jira"],
      "The address you open Jira at, including a path such as /jira if it has one.",
    ),
    deployment: z
      .enum(["SERVER", "DATA_CENTER"], { error: "Choose Server or Data Center." })
      .meta({ title: "Deployment", description: "Jira Server (single node) or Jira Data Center." }),
    projectKey,
    defaultIssueType,
  }),
  credentialSchema: z.object({
    personalAccessToken: secret(
      z.string().trim().min(1, { error: "Paste a personal access token." }).meta({
        title: "Personal access token",
        description: "In Jira: your avatar → Profile → Personal Access Tokens → Create token.",
      }),
    ),
  }),
  usesUserOAuthGrant: false,
} satisfies ConnectionMode;

export const JIRA_MODES = [cloudApiTokenMode, cloudOAuthMode, serverPatMode] as const;

/** A connection's parsed settings; everything else in this folder works from these. */
export type JiraSettings =
  | {
      mode: "cloud_api_token";
      config: z.output<typeof cloudApiTokenMode.configSchema>;
      credentials: z.output<typeof cloudApiTokenMode.credentialSchema>;
    }
  | {
      mode: "cloud_oauth";
      config: z.output<typeof cloudOAuthMode.configSchema>;
      credentials: Record<string, never>;
    }
  | {
      mode: "server_pat";
      config: z.output<typeof serverPatMode.configSchema>;
      credentials: z.output<typeof serverPatMode.credentialSchema>;
    };

export type JiraModeId = JiraSettings["mode"];

export function isJiraModeId(value: string): value is JiraModeId {
  return JIRA_MODES.some((mode) => mode.id === value);
}

/** Parses stored or typed settings; the first problem is reported as a `field: message` pair. */
export function parseJiraSettings(
  mode: string,
  config: unknown,
  credentials: unknown,
): { ok: true; settings: JiraSettings } | { ok: false; fieldErrors: Record<string, string> } {
  const definition = JIRA_MODES.find((candidate) => candidate.id === mode);
  if (!definition) return { ok: false, fieldErrors: { mode: `"${mode}" is not a way to connect Jira.` } };
  const parsedConfig = definition.configSchema.safeParse(config);
  const parsedCredentials = definition.credentialSchema.safeParse(credentials);
  if (!parsedConfig.success || !parsedCredentials.success) {
    const issues = [...(parsedConfig.error?.issues ?? []), ...(parsedCredentials.error?.issues ?? [])];
    return {
      ok: false,
      fieldErrors: Object.fromEntries(
        issues.map((issue) => [issue.path.join(".") || "settings", issue.message]),
      ),
    };
  }
  return {
    ok: true,
    settings: {
      mode: definition.id,
      config: parsedConfig.data,
      credentials: parsedCredentials.data,
    } as JiraSettings,
  };
}
