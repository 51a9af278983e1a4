import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_OAUTH_CLIENT,
  DEMO_SITES,
  RECOMMENDED_SCOPES,
  REFRESH_TOKEN_REUSE_GRACE_MS,
} from "./fixtures";
import { startSandbox, type SandboxHandle } from "./server";
import { ADA, GRACE, bearer, call, oauthTokens, submitConsent } from "./test-helpers";

const ACME = DEMO_SITES[0]!;
const GLOBEX = DEMO_SITES[1]!;
const REDIRECT = "http://localhost:3000/api/auth/callback/atlassian";

let sandbox: SandboxHandle;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(async () => {
  await call(sandbox.url, "/__sandbox/reset", { method: "POST", auth: null });
});

function authorizeUrl(params: Record<string, string>): string {
  const query = new URLSearchParams({
    audience: "api.atlassian.com",
    client_id: DEFAULT_OAUTH_CLIENT.clientId,
    scope: RECOMMENDED_SCOPES.join(" "),
    redirect_uri: REDIRECT,
    state: "xyz",
    response_type: "code",
    prompt: "consent",
    ...params,
  });
  return `${sandbox.url}/authorize?${query.toString()}`;
}

async function tokenRequest(body: Record<string, string>, asForm = false) {
  const response = await fetch(`${sandbox.url}/oauth/token`, {
    method: "POST",
    headers: { "Content-Type": asForm ? "application/x-www-form-urlencoded" : "application/json" },
    body: asForm ? new URLSearchParams(body).toString() : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const client = { client_id: DEFAULT_OAUTH_CLIENT.clientId, client_secret: DEFAULT_OAUTH_CLIENT.clientSecret };

describe("OAuth 2.0 (3LO) authorization code flow", () => {
  it("renders an accessible consent page listing demo users and sites", async () => {
    const response = await fetch(authorizeUrl({}));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    const html = await response.text();
    expect(html).toContain("Authorize TicketBridge (dev) to access your Atlassian account");
    for (const text of [
      "Ada Lovelace",
      "ada@acme.example",
      "Grace Hopper",
      "Linus Customer",
      "acme-demo",
      "globex-demo",
    ])
      expect(html).toContain(text);
    expect(html).toMatch(/<label for="account-ada"><input type="radio"/);
    expect(html).toMatch(/<input type="checkbox" id="site-acme-demo" name="site"/);
    expect(html).toContain('value="accept">Accept</button>');
    expect(html).toContain('value="deny" formnovalidate>Deny</button>');
  });

  it("rejects bad authorize parameters with a 400 page", async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ client_id: "nope" }, "Unknown client_id"],
      [{ redirect_uri: "https://evil.example/cb" }, "is not registered"],
      [{ response_type: "token" }, "response_type"],
      [{ audience: "example.com" }, "audience"],
      [{ scope: "read:jira-work bogus:scope" }, "Unknown scope"],
    ];
    for (const [params, message] of cases) {
      const response = await fetch(authorizeUrl(params));
      expect(response.status).toBe(400);
      expect(await response.text()).toContain(message);
    }
  });

  it("runs end to end: consent → code → tokens → accessible-resources → /me", async () => {
    const location = await submitConsent(sandbox.url, {
      user: ADA,
      siteIds: [ACME.cloudId, GLOBEX.cloudId],
      redirectUri: REDIRECT,
      state: "s1",
    });
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get("state")).toBe("s1");
    const code = location.searchParams.get("code")!;
    expect(code).toBeTruthy();

    const tokens = await tokenRequest(
      { grant_type: "authorization_code", code, redirect_uri: REDIRECT, ...client },
      true,
    );
    expect(tokens.status).toBe(200);
    expect(tokens.body).toMatchObject({
      token_type: "Bearer",
      expires_in: 3600,
      scope: RECOMMENDED_SCOPES.join(" "),
    });
    expect(typeof tokens.body.access_token).toBe("string");
    expect(typeof tokens.body.refresh_token).toBe("string");

    const resources = await call(sandbox.url, "/oauth/token/accessible-resources", {
      auth: bearer(tokens.body.access_token as string),
    });
    expect(resources.status).toBe(200);
    expect(resources.body).toEqual([
      expect.objectContaining({
        id: ACME.cloudId,
        name: "acme-demo",
        url: `${sandbox.url}/site/acme-demo`,
        scopes: expect.arrayContaining(["read:jira-work", "write:jira-work"]),
      }),
      expect.objectContaining({
        id: GLOBEX.cloudId,
        name: "globex-demo",
        url: `${sandbox.url}/site/globex-demo`,
      }),
    ]);

    const me = await call(sandbox.url, "/me", { auth: bearer(tokens.body.access_token as string) });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      account_type: "atlassian",
      account_id: ADA.accountId,
      email: ADA.email,
      name: ADA.displayName,
      account_status: "active",
      email_verified: true,
      extended_profile: {},
    });

    // The token works against the Jira API of a granted site.
    const myself = await call(sandbox.url, `/ex/jira/${ACME.cloudId}/rest/api/3/myself`, {
      auth: bearer(tokens.body.access_token as string),
    });
    expect(myself.status).toBe(200);
    expect(myself.body.accountId).toBe(ADA.accountId);
  });

  it("grants every site of the user when none is ticked, and refuses sites the user cannot access", async () => {
    const tokens = await oauthTokens(sandbox.url, { user: GRACE });
    const resources = await call(sandbox.url, "/oauth/token/accessible-resources", {
      auth: bearer(tokens.access_token),
    });
    expect(resources.body.map((r: { name: string }) => r.name)).toEqual(["acme-demo"]);

    const form = new URLSearchParams({
      audience: "api.atlassian.com",
      client_id: client.client_id,
      redirect_uri: REDIRECT,
      response_type: "code",
      scope: "read:jira-work",
      account_id: GRACE.accountId,
      site: GLOBEX.cloudId,
      decision: "accept",
    });
    const refused = await fetch(`${sandbox.url}/authorize`, {
      method: "POST",
      body: form,
      redirect: "manual",
    });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("Grace Hopper does not have access to globex-demo");
  });

  it("redirects with error=access_denied when the user denies", async () => {
    const location = await submitConsent(sandbox.url, { decision: "deny", state: "s2" });
    expect(location.searchParams.get("error")).toBe("access_denied");
    expect(location.searchParams.get("state")).toBe("s2");
    expect(location.searchParams.get("code")).toBeNull();
  });

  it("accepts client credentials via HTTP Basic and rejects a wrong secret with 401", async () => {
    const location = await submitConsent(sandbox.url, { redirectUri: REDIRECT });
    const code = location.searchParams.get("code")!;
    const wrong = await tokenRequest({
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT,
      client_id: client.client_id,
      client_secret: "wrong",
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe("invalid_client");

    const response = await fetch(`${sandbox.url}/oauth/token`, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString("base64")}`,
      },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: REDIRECT,
      }).toString(),
    });
    expect(response.status).toBe(200);
  });

  it("rejects code reuse, wrong redirect_uri and expired codes with 400 invalid_grant", async () => {
    const code = (await submitConsent(sandbox.url, { redirectUri: REDIRECT })).searchParams.get("code")!;
    const mismatch = await tokenRequest({
      grant_type: "authorization_code",
      code,
      redirect_uri: "http://localhost:9999/other",
      ...client,
    });
    expect(mismatch).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect(
      (await tokenRequest({ grant_type: "authorization_code", code, redirect_uri: REDIRECT, ...client }))
        .status,
    ).toBe(200);
    const reused = await tokenRequest({
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT,
      ...client,
    });
    expect(reused).toMatchObject({ status: 400, body: { error: "invalid_grant" } });

    const late = (await submitConsent(sandbox.url, { redirectUri: REDIRECT })).searchParams.get("code")!;
    await call(sandbox.url, "/__sandbox/clock", { body: { advanceMs: 11 * 60 * 1000 }, auth: null });
    const expired = await tokenRequest({
      grant_type: "authorization_code",
      code: late,
      redirect_uri: REDIRECT,
      ...client,
    });
    expect(expired).toMatchObject({
      status: 400,
      body: { error: "invalid_grant", error_description: "Authorization code has expired" },
    });
  });

  it("only issues a refresh token when offline_access was granted", async () => {
    const tokens = await oauthTokens(sandbox.url, { scopes: ["read:jira-work", "read:me"] });
    expect(tokens.refresh_token).toBeUndefined();
  });
});

describe("access tokens", () => {
  it("expire after expires_in on the injectable clock", async () => {
    const tokens = await oauthTokens(sandbox.url);
    expect((await call(sandbox.url, "/me", { auth: bearer(tokens.access_token) })).status).toBe(200);
    await call(sandbox.url, "/__sandbox/clock", { body: { advanceMs: 3600 * 1000 }, auth: null });
    const expired = await call(sandbox.url, "/me", { auth: bearer(tokens.access_token) });
    expect(expired.status).toBe(401);
    const jira = await call(sandbox.url, `/ex/jira/${ACME.cloudId}/rest/api/3/myself`, {
      auth: bearer(tokens.access_token),
    });
    expect(jira.status).toBe(401);
  });

  it("is refused by /me without the read:me scope", async () => {
    const tokens = await oauthTokens(sandbox.url, { scopes: ["read:jira-work"] });
    const me = await call(sandbox.url, "/me", { auth: bearer(tokens.access_token) });
    expect(me.status).toBe(401);
    expect(me.body.message).toContain("scope does not match");
  });
});

describe("refresh token rotation", () => {
  it("returns a new refresh token each time, honours a 10-minute grace period, then revokes the grant on reuse", async () => {
    const first = await oauthTokens(sandbox.url);
    const r1 = first.refresh_token!;

    const second = await tokenRequest({ grant_type: "refresh_token", refresh_token: r1, ...client });
    expect(second.status).toBe(200);
    const r2 = second.body.refresh_token as string;
    expect(r2).toBeTruthy();
    expect(r2).not.toBe(r1);
    expect(second.body.access_token).not.toBe(first.access_token);

    const third = await tokenRequest({ grant_type: "refresh_token", refresh_token: r2, ...client });
    const r3 = third.body.refresh_token as string;
    expect(r3).not.toBe(r2);

    // Within the grace period the old token still works (e.g. two app instances refreshing at once).
    await call(sandbox.url, "/__sandbox/clock", { body: { advanceMs: 5 * 60 * 1000 }, auth: null });
    const withinGrace = await tokenRequest({ grant_type: "refresh_token", refresh_token: r1, ...client });
    expect(withinGrace.status).toBe(200);

    const latest = await tokenRequest({ grant_type: "refresh_token", refresh_token: r3, ...client });
    expect(latest.status).toBe(200);
    const r4 = latest.body.refresh_token as string;
    const access4 = latest.body.access_token as string;
    expect((await call(sandbox.url, "/me", { auth: bearer(access4) })).status).toBe(200);

    // Past the grace period, reusing a rotated token revokes the whole grant.
    await call(sandbox.url, "/__sandbox/clock", {
      body: { advanceMs: REFRESH_TOKEN_REUSE_GRACE_MS },
      auth: null,
    });
    const reuse = await tokenRequest({ grant_type: "refresh_token", refresh_token: r1, ...client });
    expect(reuse).toEqual({
      status: 403,
      body: { error: "unauthorized_client", error_description: "refresh_token is invalid" },
    });

    expect((await tokenRequest({ grant_type: "refresh_token", refresh_token: r4, ...client })).status).toBe(
      403,
    );
    expect((await call(sandbox.url, "/me", { auth: bearer(access4) })).status).toBe(401);
  });

  it("rejects refresh with a wrong client secret (401) and unknown tokens (403)", async () => {
    const tokens = await oauthTokens(sandbox.url);
    expect(
      (
        await tokenRequest({
          grant_type: "refresh_token",
          refresh_token: tokens.refresh_token!,
          client_id: client.client_id,
          client_secret: "x",
        })
      ).status,
    ).toBe(401);
    expect(
      (await tokenRequest({ grant_type: "refresh_token", refresh_token: "nope", ...client })).status,
    ).toBe(403);
    expect((await tokenRequest({ grant_type: "password", ...client })).body.error).toBe(
      "unsupported_grant_type",
    );
  });

  it("can expire every access token on demand so clients exercise their refresh path", async () => {
    const tokens = await oauthTokens(sandbox.url);
    await call(sandbox.url, "/__sandbox/tokens/expire", { method: "POST", auth: null });
    expect((await call(sandbox.url, "/me", { auth: bearer(tokens.access_token) })).status).toBe(401);
    const refreshed = await tokenRequest({
      grant_type: "refresh_token",
      refresh_token: tokens.refresh_token!,
      ...client,
    });
    expect(
      (await call(sandbox.url, "/me", { auth: bearer(refreshed.body.access_token as string) })).status,
    ).toBe(200);
  });
});
