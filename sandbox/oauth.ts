/**
 * OAuth 2.0 (3LO) as served by auth.atlassian.com and api.atlassian.com:
 * consent page, authorization codes, access tokens, rotating refresh tokens,
 * accessible-resources and /me.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { renderConsentPage, renderErrorPage } from "./consent-page";
import {
  ACCESS_TOKEN_TTL_SECONDS,
  AUTHORIZATION_CODE_TTL_MS,
  DEMO_SITES,
  DEMO_USERS,
  REFRESH_TOKEN_INACTIVITY_MS,
  REFRESH_TOKEN_REUSE_GRACE_MS,
  findUserByAccountId,
  siteUrl,
  type DemoUser,
  type OAuthClientConfig,
} from "./fixtures";
import { parseFormOrJson, redirect, sendHtml, sendJson, stringField, type Query, queryValue } from "./http";
import { loadJiraOpenApi } from "./openapi";
import type { SandboxRuntime } from "./runtime";
import type { Grant, SandboxState } from "./state";

/** Scopes that grant identity/refresh rather than Jira access (not listed in accessible-resources). */
const NON_JIRA_SCOPES = new Set(["offline_access", "read:me", "read:account"]);

export const UNAUTHORIZED_GATEWAY_BODY = { code: 401, message: "Unauthorized" };
export const SCOPE_MISMATCH_BODY = { code: 401, message: "Unauthorized; scope does not match" };

function token(prefix: string): string {
  return `${prefix}_${randomBytes(24).toString("base64url")}`;
}

export function isRedirectUriAllowed(client: OAuthClientConfig, redirectUri: string): boolean {
  if (client.redirectUris !== "localhost") return client.redirectUris.includes(redirectUri);
  try {
    const url = new URL(redirectUri);
    return (
      url.protocol === "http:" &&
      (url.hostname === "localhost" || url.hostname === "127.0.0.1") &&
      url.hash === ""
    );
  } catch {
    return false;
  }
}

interface AuthorizeRequest {
  client: OAuthClientConfig;
  redirectUri: string;
  scopes: string[];
  state: string | undefined;
  /** Echoed as hidden fields so POST /authorize can re-validate everything. */
  hidden: Record<string, string>;
}

async function validateAuthorizeRequest(
  runtime: SandboxRuntime,
  get: (name: string) => string | undefined,
): Promise<AuthorizeRequest | string> {
  const audience = get("audience");
  if (audience !== "api.atlassian.com")
    return `The 'audience' parameter must be 'api.atlassian.com' (got ${audience === undefined ? "nothing" : `'${audience}'`}).`;
  const clientId = get("client_id");
  if (!clientId) return "The 'client_id' parameter is missing.";
  const client = runtime.clients.get(clientId);
  if (!client) return `Unknown client_id '${clientId}'. The app is not registered with this sandbox.`;
  const redirectUri = get("redirect_uri");
  if (!redirectUri) return "The 'redirect_uri' parameter is missing.";
  if (!isRedirectUriAllowed(client, redirectUri))
    return `The redirect_uri '${redirectUri}' is not registered for client '${clientId}'.`;
  const responseType = get("response_type");
  if (responseType !== "code")
    return `The 'response_type' parameter must be 'code' (got ${responseType === undefined ? "nothing" : `'${responseType}'`}).`;
  const scopes = (get("scope") ?? "").split(/\s+/).filter(Boolean);
  if (scopes.length === 0) return "The 'scope' parameter is missing or empty.";
  const { knownScopes } = await loadJiraOpenApi();
  const unknown = scopes.filter((s) => !knownScopes.has(s));
  if (unknown.length > 0) return `Unknown scope(s): ${unknown.join(", ")}.`;
  const state = get("state");
  const hidden: Record<string, string> = {
    audience,
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: responseType,
    scope: scopes.join(" "),
  };
  if (state !== undefined) hidden.state = state;
  const prompt = get("prompt");
  if (prompt !== undefined) hidden.prompt = prompt;
  return { client, redirectUri, scopes, state, hidden };
}

export async function handleAuthorizeGet(
  runtime: SandboxRuntime,
  res: ServerResponse,
  query: Query,
): Promise<void> {
  const request = await validateAuthorizeRequest(runtime, (name) => queryValue(query, name));
  if (typeof request === "string") return sendHtml(res, 400, renderErrorPage(request));
  sendHtml(
    res,
    200,
    renderConsentPage({
      appName: request.client.name,
      hidden: request.hidden,
      scopes: request.scopes,
      users: DEMO_USERS,
      sites: DEMO_SITES,
    }),
  );
}

export async function handleAuthorizePost(
  runtime: SandboxRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  rawBody: string,
): Promise<void> {
  const form = parseFormOrJson(rawBody, req.headers["content-type"]);
  if (!form) return sendHtml(res, 400, renderErrorPage("The consent form could not be read."));
  const request = await validateAuthorizeRequest(runtime, (name) => stringField(form, name));
  if (typeof request === "string") return sendHtml(res, 400, renderErrorPage(request));

  const back = new URL(request.redirectUri);
  if (request.state !== undefined) back.searchParams.set("state", request.state);
  if (stringField(form, "decision") !== "accept") {
    back.searchParams.set("error", "access_denied");
    back.searchParams.set("error_description", "User did not authorize the request");
    return redirect(res, back.toString());
  }

  const rerender = (error: string, accountId?: string, cloudIds?: string[]) =>
    sendHtml(
      res,
      400,
      renderConsentPage({
        appName: request.client.name,
        hidden: request.hidden,
        scopes: request.scopes,
        users: DEMO_USERS,
        sites: DEMO_SITES,
        error,
        selectedAccountId: accountId,
        selectedCloudIds: cloudIds,
      }),
    );

  const accountId = stringField(form, "account_id");
  const user = accountId ? findUserByAccountId(accountId) : undefined;
  if (!user) return rerender("Choose the account to sign in with.");
  const picked = ([] as unknown[]).concat(form.site ?? []).filter((v): v is string => typeof v === "string");
  const userSites = DEMO_SITES.filter((s) => user.siteNames.includes(s.name));
  const cloudIds = picked.length === 0 ? userSites.map((s) => s.cloudId) : picked;
  const refused = cloudIds.filter((id) => !userSites.some((s) => s.cloudId === id));
  if (refused.length > 0) {
    const names = refused.map((id) => DEMO_SITES.find((s) => s.cloudId === id)?.name ?? id);
    return rerender(
      `${user.displayName} does not have access to ${names.join(", ")}.`,
      user.accountId,
      picked,
    );
  }

  const code = token("sbx_code");
  runtime.state.codes.set(code, {
    code,
    clientId: request.client.clientId,
    redirectUri: request.redirectUri,
    accountId: user.accountId,
    cloudIds,
    scopes: request.scopes,
    expiresAt: runtime.state.now() + AUTHORIZATION_CODE_TTL_MS,
    used: false,
  });
  back.searchParams.set("code", code);
  redirect(res, back.toString());
}

type TokenError = { status: number; body: { error: string; error_description: string } };

function oauthError(status: number, error: string, description: string): TokenError {
  return { status, body: { error, error_description: description } };
}

/** Client credentials from HTTP Basic or from the body, then checked against registered clients. */
function authenticateClient(
  runtime: SandboxRuntime,
  req: IncomingMessage,
  body: Record<string, unknown>,
): OAuthClientConfig | TokenError {
  let clientId = stringField(body, "client_id");
  let clientSecret = stringField(body, "client_secret");
  const header = req.headers.authorization;
  if (header?.startsWith("Basic ")) {
    const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon > 0) {
      clientId = decodeURIComponent(decoded.slice(0, colon));
      clientSecret = decodeURIComponent(decoded.slice(colon + 1));
    }
  }
  const client = clientId ? runtime.clients.get(clientId) : undefined;
  if (!client || clientSecret !== client.clientSecret)
    return oauthError(401, "invalid_client", "Unauthorized");
  return client;
}

export async function handleToken(
  runtime: SandboxRuntime,
  req: IncomingMessage,
  res: ServerResponse,
  rawBody: string,
): Promise<void> {
  const send = (status: number, body: unknown) =>
    sendJson(res, status, body, { "Cache-Control": "no-store", Pragma: "no-cache" });
  const body = parseFormOrJson(rawBody, req.headers["content-type"]);
  if (!body)
    return send(400, {
      error: "invalid_request",
      error_description: "The body must be JSON or application/x-www-form-urlencoded.",
    });
  const client = authenticateClient(runtime, req, body);
  if ("status" in client) return send(client.status, client.body);

  const grantType = stringField(body, "grant_type");
  const result =
    grantType === "authorization_code"
      ? exchangeCode(runtime.state, client, body)
      : grantType === "refresh_token"
        ? refresh(runtime.state, client, body)
        : oauthError(400, "unsupported_grant_type", `Unsupported grant_type '${grantType ?? ""}'.`);
  if ("status" in result) return send(result.status, result.body);
  send(200, result);
}

interface TokenResponse {
  access_token: string;
  expires_in: number;
  token_type: "Bearer";
  scope: string;
  refresh_token?: string;
}

function mintTokens(state: SandboxState, grant: Grant): TokenResponse {
  const accessToken = token("sbx_at");
  state.accessTokens.set(accessToken, {
    token: accessToken,
    grantId: grant.id,
    expiresAt: state.now() + ACCESS_TOKEN_TTL_SECONDS * 1000,
  });
  const response: TokenResponse = {
    access_token: accessToken,
    expires_in: ACCESS_TOKEN_TTL_SECONDS,
    token_type: "Bearer",
    scope: grant.scopes.join(" "),
  };
  if (grant.scopes.includes("offline_access")) {
    const refreshToken = token("sbx_rt");
    state.refreshTokens.set(refreshToken, {
      token: refreshToken,
      grantId: grant.id,
      issuedAt: state.now(),
      rotatedAt: null,
    });
    response.refresh_token = refreshToken;
  }
  return response;
}

function exchangeCode(
  state: SandboxState,
  client: OAuthClientConfig,
  body: Record<string, unknown>,
): TokenResponse | TokenError {
  const code = stringField(body, "code");
  const stored = code ? state.codes.get(code) : undefined;
  if (!stored) return oauthError(400, "invalid_grant", "Invalid authorization code");
  if (stored.used) return oauthError(400, "invalid_grant", "Authorization code has already been used");
  if (stored.expiresAt <= state.now())
    return oauthError(400, "invalid_grant", "Authorization code has expired");
  if (stored.clientId !== client.clientId)
    return oauthError(400, "invalid_grant", "Authorization code was issued to another client");
  if (stringField(body, "redirect_uri") !== stored.redirectUri)
    return oauthError(400, "invalid_grant", "redirect_uri does not match the authorization request");
  stored.used = true;
  const grant: Grant = {
    id: randomUUID(),
    clientId: client.clientId,
    accountId: stored.accountId,
    cloudIds: stored.cloudIds,
    scopes: stored.scopes,
    revoked: false,
    createdAt: state.now(),
  };
  state.grants.set(grant.id, grant);
  return mintTokens(state, grant);
}

const INVALID_REFRESH_TOKEN = oauthError(403, "unauthorized_client", "refresh_token is invalid");

/**
 * Rotating refresh tokens: every refresh returns a new one. The previous token keeps working for
 * a grace period after its first rotation; reusing it later is treated as token theft and revokes
 * the whole grant.
 */
function refresh(
  state: SandboxState,
  client: OAuthClientConfig,
  body: Record<string, unknown>,
): TokenResponse | TokenError {
  const presented = stringField(body, "refresh_token");
  const stored = presented ? state.refreshTokens.get(presented) : undefined;
  if (!stored) return INVALID_REFRESH_TOKEN;
  const grant = state.grants.get(stored.grantId);
  if (!grant || grant.revoked || grant.clientId !== client.clientId) return INVALID_REFRESH_TOKEN;
  const now = state.now();
  if (stored.rotatedAt !== null && now - stored.rotatedAt > REFRESH_TOKEN_REUSE_GRACE_MS) {
    revokeGrant(state, grant.id);
    return INVALID_REFRESH_TOKEN;
  }
  if (stored.rotatedAt === null && now - stored.issuedAt > REFRESH_TOKEN_INACTIVITY_MS)
    return INVALID_REFRESH_TOKEN;
  stored.rotatedAt ??= now;
  return mintTokens(state, grant);
}

export function revokeGrant(state: SandboxState, grantId: string): void {
  const grant = state.grants.get(grantId);
  if (grant) grant.revoked = true;
  for (const [key, value] of state.accessTokens)
    if (value.grantId === grantId) state.accessTokens.delete(key);
  for (const [key, value] of state.refreshTokens)
    if (value.grantId === grantId) state.refreshTokens.delete(key);
}

export function expireAllAccessTokens(state: SandboxState): number {
  const now = state.now();
  let count = 0;
  for (const token of state.accessTokens.values()) {
    if (token.expiresAt > now) {
      token.expiresAt = now;
      count += 1;
    }
  }
  return count;
}

export interface OAuthCaller {
  grant: Grant;
  user: DemoUser;
}

/** Resolves a Bearer access token; null when unknown, expired or revoked. */
export function resolveAccessToken(
  state: SandboxState,
  authorization: string | undefined,
): OAuthCaller | null {
  if (!authorization?.startsWith("Bearer ")) return null;
  const stored = state.accessTokens.get(authorization.slice(7).trim());
  if (!stored || stored.expiresAt <= state.now()) return null;
  const grant = state.grants.get(stored.grantId);
  const user = grant ? findUserByAccountId(grant.accountId) : undefined;
  if (!grant || grant.revoked || !user) return null;
  return { grant, user };
}

export function handleAccessibleResources(
  runtime: SandboxRuntime,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  const caller = resolveAccessToken(runtime.state, req.headers.authorization);
  if (!caller) return sendJson(res, 401, UNAUTHORIZED_GATEWAY_BODY);
  const scopes = caller.grant.scopes.filter((s) => !NON_JIRA_SCOPES.has(s));
  const resources = caller.grant.cloudIds.flatMap((cloudId) => {
    const site = DEMO_SITES.find((s) => s.cloudId === cloudId);
    if (!site) return [];
    return [
      {
        id: site.cloudId,
        url: siteUrl(runtime.publicUrl, site),
        name: site.name,
        scopes,
        avatarUrl: `${runtime.publicUrl}/avatars/site-${site.name}.svg`,
      },
    ];
  });
  sendJson(res, 200, resources);
}

export function handleMe(runtime: SandboxRuntime, req: IncomingMessage, res: ServerResponse): void {
  const caller = resolveAccessToken(runtime.state, req.headers.authorization);
  if (!caller) return sendJson(res, 401, UNAUTHORIZED_GATEWAY_BODY);
  if (!caller.grant.scopes.includes("read:me")) return sendJson(res, 401, SCOPE_MISMATCH_BODY);
  sendJson(res, 200, meProfile(runtime.publicUrl, caller.user));
}

export function meProfile(publicUrl: string, user: DemoUser) {
  return {
    account_type: "atlassian",
    account_id: user.accountId,
    email: user.email,
    email_verified: true,
    name: user.displayName,
    picture: `${publicUrl}/avatars/${user.handle}.svg`,
    account_status: "active",
    nickname: user.handle,
    zoneinfo: user.timeZone,
    locale: user.locale.replace("_", "-"),
    extended_profile: {},
  };
}
