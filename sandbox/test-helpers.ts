/** Small HTTP helpers for tests that talk to a running sandbox (also usable from the app's tests). */
import { DEFAULT_OAUTH_CLIENT, DEMO_USERS, RECOMMENDED_SCOPES, type DemoUser } from "./fixtures";

export const ADA = DEMO_USERS[0] as DemoUser;
export const GRACE = DEMO_USERS[1] as DemoUser;
export const LINUS = DEMO_USERS[2] as DemoUser;

export function basicAuth(user: DemoUser = ADA, token = user.apiToken): string {
  return `Basic ${Buffer.from(`${user.email}:${token}`).toString("base64")}`;
}

// Tests read arbitrary JSON; `any` keeps assertions short.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** Calls a JSON endpoint; `auth` is the full Authorization header value (default: Ada's Basic auth). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function call<T = any>(
  baseUrl: string,
  path: string,
  init: { method?: string; body?: unknown; auth?: string | null; headers?: Record<string, string> } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { Accept: "application/json", ...init.headers };
  const auth = init.auth === undefined ? basicAuth() : init.auth;
  if (auth) headers.Authorization = auth;
  if (init.body !== undefined) headers["Content-Type"] ??= "application/json";
  const response = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    body:
      init.body === undefined
        ? undefined
        : typeof init.body === "string"
          ? init.body
          : JSON.stringify(init.body),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text === "" ? undefined : JSON.parse(text);
  } catch {
    // keep text
  }
  return { status: response.status, headers: response.headers, body: body as T };
}

export interface ConsentOptions {
  user?: DemoUser;
  /** cloudIds to tick; none = every site of the user. */
  siteIds?: string[];
  scopes?: readonly string[];
  clientId?: string;
  clientSecret?: string;
  redirectUri?: string;
  state?: string;
  decision?: "accept" | "deny";
}

/** Submits the consent form like a browser would and returns the redirect Location. */
export async function submitConsent(baseUrl: string, options: ConsentOptions = {}): Promise<URL> {
  const form = new URLSearchParams({
    audience: "api.atlassian.com",
    client_id: options.clientId ?? DEFAULT_OAUTH_CLIENT.clientId,
    redirect_uri: options.redirectUri ?? "http://localhost:3000/api/auth/callback/atlassian",
    response_type: "code",
    scope: (options.scopes ?? RECOMMENDED_SCOPES).join(" "),
    state: options.state ?? "state-123",
    prompt: "consent",
    account_id: (options.user ?? ADA).accountId,
    decision: options.decision ?? "accept",
  });
  for (const id of options.siteIds ?? []) form.append("site", id);
  const response = await fetch(`${baseUrl}/authorize`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: form.toString(),
    redirect: "manual",
  });
  const location = response.headers.get("location");
  if (response.status !== 302 || !location)
    throw new Error(`consent failed: ${response.status} ${await response.text()}`);
  return new URL(location);
}

export interface TokenSet {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  scope: string;
  token_type: string;
}

/** Full 3LO dance without a browser: consent → code → tokens. */
export async function oauthTokens(baseUrl: string, options: ConsentOptions = {}): Promise<TokenSet> {
  const redirectUri = options.redirectUri ?? "http://localhost:3000/api/auth/callback/atlassian";
  const location = await submitConsent(baseUrl, { ...options, redirectUri });
  const code = location.searchParams.get("code");
  if (!code) throw new Error(`no code in ${location.toString()}`);
  const response = await call<TokenSet>(baseUrl, "/oauth/token", {
    auth: null,
    body: {
      grant_type: "authorization_code",
      client_id: options.clientId ?? DEFAULT_OAUTH_CLIENT.clientId,
      client_secret: options.clientSecret ?? DEFAULT_OAUTH_CLIENT.clientSecret,
      code,
      redirect_uri: redirectUri,
    },
  });
  if (response.status !== 200)
    throw new Error(`token exchange failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export function bearer(token: string): string {
  return `Bearer ${token}`;
}
