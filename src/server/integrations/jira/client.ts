import "server-only";

import { Version2Client, Version3Client, type Config } from "jira.js";

import { assertSafeBaseUrl, guardedAgents } from "../outbound";
import {
  InvalidCredentials,
  ProviderError,
  Unavailable,
  type AccessTokenSource,
  type ProviderContext,
} from "../types";
import { statusOf, toProviderError, type JiraAuthKind, type JiraErrorContext } from "./errors";
import type { JiraSettings } from "./schemas";

/**
 * Builds the jira.js clients for one connection: REST v3 for Jira Cloud, v2 for Server / Data
 * Center (which has no v3). Every request goes through the SSRF-guarded agents with a timeout,
 * never follows redirects (a redirect could point anywhere) and ignores proxy variables (a proxy
 * would resolve names outside the guard).
 */

export type JiraSdk = { version: 3; client: Version3Client } | { version: 2; client: Version2Client };

export type JiraConnection = {
  version: 2 | 3;
  /** The site's own address: browse links and messages. */
  siteUrl: string;
  /** Where the REST API is (differs from siteUrl for OAuth, which goes through Atlassian's gateway). */
  apiBase: string;
  /**
   * Runs one SDK call: checks the admin-typed URL first (once), attaches the credentials (OAuth:
   * on a 401, refreshes once and retries) and turns every failure into a ProviderError.
   * `anonymous` skips credentials where the mode allows it (never for OAuth: the gateway needs them).
   */
  send<T>(call: (sdk: JiraSdk) => Promise<T>, options?: { anonymous?: boolean }): Promise<T>;
};

const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 20 * 1024 * 1024;

export function connectJira(settings: JiraSettings, context: ProviderContext): JiraConnection {
  const version = settings.mode === "server_pat" ? 2 : 3;
  const apiBase = apiBaseOf(settings, context);
  const timeoutMs = context.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const errorContext: JiraErrorContext = {
    host: new URL(apiBase).host,
    auth: authKindOf(settings),
    timeoutMs,
  };

  const baseRequestConfig = {
    ...agentsFor(context.allowedHosts),
    timeout: timeoutMs,
    proxy: false as const,
    maxRedirects: 0,
    maxContentLength: MAX_RESPONSE_BYTES,
    headers: { Accept: "application/json" },
  };
  const makeSdk: MakeSdk = (auth = {}) => {
    const config = {
      host: apiBase,
      ...(auth.authentication ? { authentication: auth.authentication } : {}),
      baseRequestConfig: {
        ...baseRequestConfig,
        headers: {
          ...baseRequestConfig.headers,
          ...(auth.authorization ? { Authorization: auth.authorization } : {}),
        },
      },
    } as Config;
    return version === 3
      ? { version, client: new Version3Client(config) }
      : { version, client: new Version2Client(config) };
  };

  const run = authenticatedRunner(settings, context.tokens, makeSdk);
  const anonymous = once(() => makeSdk());
  // Admin-typed addresses are checked before the first request; Atlassian's gateway is deployment config.
  const checkBaseUrl =
    settings.mode === "cloud_oauth" ? null : once(() => assertSafeBaseUrl(apiBase, context.allowedHosts));

  return {
    version,
    apiBase,
    siteUrl: settings.mode === "cloud_oauth" ? trimUrl(settings.config.siteUrl) : apiBase,
    async send(call, options) {
      try {
        await checkBaseUrl?.();
        if (options?.anonymous && settings.mode !== "cloud_oauth") return await call(anonymous());
        return await run(call);
      } catch (error) {
        throw toProviderError(error, errorContext);
      }
    },
  };
}

type Runner = <T>(call: (sdk: JiraSdk) => Promise<T>) => Promise<T>;
/** jira.js's own auth (Basic), or a ready Authorization header (Bearer PAT / OAuth token). */
type SdkAuth = { authentication?: Config["authentication"]; authorization?: string };
type MakeSdk = (auth?: SdkAuth) => JiraSdk;

function authenticatedRunner(
  settings: JiraSettings,
  tokens: AccessTokenSource | undefined,
  makeSdk: MakeSdk,
): Runner {
  switch (settings.mode) {
    case "cloud_api_token": {
      const { email, apiToken } = settings.credentials;
      const sdk = once(() => makeSdk({ authentication: { basic: { email, apiToken } } }));
      return (call) => call(sdk());
    }
    case "server_pat": {
      const sdk = once(() =>
        makeSdk({ authorization: `Bearer ${settings.credentials.personalAccessToken}` }),
      );
      return (call) => call(sdk());
    }
    case "cloud_oauth":
      return oauthRunner(tokens, makeSdk);
  }
}

/** The user's OAuth grant: a client per access token; a 401 gets one refresh and one retry. */
function oauthRunner(tokens: AccessTokenSource | undefined, makeSdk: MakeSdk): Runner {
  let current: { token: string; sdk: JiraSdk } | undefined;
  const sdkFor = (token: string) => {
    if (current?.token !== token) current = { token, sdk: makeSdk({ authorization: `Bearer ${token}` }) };
    return current.sdk;
  };
  return async (call) => {
    if (!tokens) {
      throw new InvalidCredentials(
        "This connection acts through an Atlassian account, but none is linked. Reconnect your Atlassian account.",
        {
          grantRevoked: true,
        },
      );
    }
    const token = await tokens.getAccessToken().catch((error: unknown) => {
      throw tokenSourceFailure(error, "get");
    });
    try {
      return await call(sdkFor(token));
    } catch (error) {
      if (statusOf(error) !== 401) throw error;
      const fresh = await tokens.refreshAfterRejection(token).catch((refreshError: unknown) => {
        throw tokenSourceFailure(refreshError, "refresh");
      });
      return call(sdkFor(fresh)); // a second 401 is reported as it is
    }
  };
}

/**
 * A refused refresh (InvalidCredentials from the token source) means the grant is gone: the user
 * has to reconnect. Anything else — an outage, a database hiccup — stays an outage, so a passing
 * problem never marks the integration EXPIRED.
 */
function tokenSourceFailure(error: unknown, step: "get" | "refresh"): ProviderError {
  if (error instanceof InvalidCredentials)
    return new InvalidCredentials(error.message, { ...error.details, grantRevoked: true });
  if (error instanceof ProviderError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new Unavailable(
    `Could not ${step === "get" ? "get" : "renew"} an access token for the Atlassian account (${reason}). Try again shortly.`,
  );
}

function apiBaseOf(settings: JiraSettings, context: ProviderContext): string {
  if (settings.mode === "cloud_oauth")
    return `${trimUrl(context.platform.atlassianApiUrl)}/ex/jira/${settings.config.cloudId}`;
  return trimUrl(settings.config.baseUrl);
}

function authKindOf(settings: JiraSettings): JiraAuthKind {
  return settings.mode === "cloud_api_token"
    ? "api_token"
    : settings.mode === "cloud_oauth"
      ? "oauth"
      : "pat";
}

/** `https://x.atlassian.net/?a#b` → `https://x.atlassian.net`; paths (Server context paths) are kept. */
export function trimUrl(raw: string): string {
  const trimmed = raw.trim();
  try {
    const url = new URL(trimmed);
    return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
  } catch {
    return trimmed.replace(/\/+$/, "");
  }
}

/**
 * Providers are short-lived (one per job or check run); sharing the keep-alive agents per
 * allow-list lets them reuse connections instead of each leaving its own idle sockets behind.
 */
const sharedAgents = new Map<string, ReturnType<typeof guardedAgents>>();
function agentsFor(allowedHosts: readonly string[]) {
  const key = [...allowedHosts].sort().join(" ");
  let agents = sharedAgents.get(key);
  if (!agents) sharedAgents.set(key, (agents = guardedAgents(allowedHosts)));
  return agents;
}

function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}
