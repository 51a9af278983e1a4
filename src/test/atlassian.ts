import { DEMO_SITES, type DemoUser } from "../../sandbox/fixtures";
import { ADA, call, oauthTokens } from "../../sandbox/test-helpers";

import { env } from "~/env";
import type { Viewer } from "~/server/api/trpc";
import { linkAccount } from "~/server/services/accounts/accounts";
import { createIntegration, testIntegration } from "~/server/services/integrations/integrations";

import { unique } from "./db";

export const sandboxUrl = () => env.ATLASSIAN_API_URL;

/** Gives a test user a real Atlassian grant from the sandbox, stored as sign-in would store it. */
export async function linkAtlassianGrant(userId: string, user: DemoUser, siteNames = ["acme-demo"]) {
  const siteIds = DEMO_SITES.filter((site) => siteNames.includes(site.name)).map((site) => site.cloudId);
  const tokens = await oauthTokens(sandboxUrl(), { user, siteIds });
  await linkAccount({
    userId,
    type: "oauth",
    provider: "atlassian",
    // Unique per test: a file's tests share its database.
    providerAccountId: unique(user.accountId),
    access_token: tokens.access_token,
    refresh_token: tokens.refresh_token,
    expires_at: Math.floor(Date.now() / 1000) + tokens.expires_in,
    token_type: tokens.token_type.toLowerCase() as Lowercase<string>,
    scope: tokens.scope,
  });
  return tokens;
}

/** Calls the sandbox's admin API. */
export const sandboxAdmin = (path: string, body?: unknown) =>
  call(sandboxUrl(), `/__sandbox${path}`, { auth: null, ...(body === undefined ? {} : { body }) });

/** An ACTIVE Jira Cloud integration on acme-demo with Ada's API token, tested as an admin would; its id. */
export async function connectAcmeJira(
  viewer: Viewer,
  { name = unique("Jira"), projectKey = "DEMO" }: { name?: string; projectKey?: string } = {},
): Promise<string> {
  const integration = await createIntegration(viewer, {
    provider: "jira",
    mode: "cloud_api_token",
    name,
    config: { baseUrl: `${sandboxUrl()}/site/acme-demo`, projectKey, defaultIssueType: "Task" },
    credentials: { email: ADA.email, apiToken: ADA.apiToken },
  });
  await testIntegration(viewer, { id: integration.id });
  return integration.id;
}
