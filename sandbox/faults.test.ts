import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DEMO_ISSUE_TYPES, DEMO_SITES } from "./fixtures";
import { startSandbox, type SandboxHandle } from "./server";
import { basicAuth, bearer, call, oauthTokens } from "./test-helpers";

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

const setFaults = (faults: Record<string, unknown>) =>
  call(sandbox.url, "/__sandbox/faults", { body: faults, auth: null });
const jira = (path: string, init?: Parameters<typeof call>[2]) =>
  call(sandbox.url, `/rest/api/3${path}`, init);
const newIssue = (summary = "Fault test") => ({
  fields: { project: { key: "DEMO" }, issuetype: { id: DEMO_ISSUE_TYPES.task.id }, summary },
});
const issuesInDemo = async () =>
  (await call(sandbox.url, "/__sandbox/issues?project=DEMO", { auth: null })).body as Array<{ key: string }>;

describe("fault injection", () => {
  it("adds latency to every Jira request until cleared", async () => {
    // Generous margins: the machine running the tests may be busy.
    const latencyMs = 1000;
    await setFaults({ latencyMs });
    let started = Date.now();
    expect((await jira("/myself")).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(latencyMs - 10);
    // OAuth endpoints are not slowed down unless `paths` names them.
    started = Date.now();
    await fetch(`${sandbox.url}/oauth/token/accessible-resources`);
    expect(Date.now() - started).toBeLessThan(latencyMs - 200);

    await call(sandbox.url, "/__sandbox/faults", { method: "DELETE", auth: null });
    started = Date.now();
    await jira("/myself");
    expect(Date.now() - started).toBeLessThan(latencyMs - 200);
  });

  it("answers 429 with Retry-After for the next N requests, then recovers", async () => {
    await setFaults({ rateLimit: { count: 2, retryAfterSeconds: 7 } });
    for (let i = 0; i < 2; i += 1) {
      const limited = await jira("/myself");
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).toBe("7");
      expect(limited.body.errorMessages).toEqual(["Rate limit exceeded."]);
    }
    expect((await jira("/myself")).status).toBe(200);
    const faults = await call(sandbox.url, "/__sandbox/faults", { auth: null });
    expect(faults.body.rateLimit.count).toBe(0);
  });

  it("answers 5xx with a JSON body for the next N requests, then recovers", async () => {
    await setFaults({ serverError: { count: 2, status: 503 } });
    const first = await jira("/issue", { body: newIssue() });
    expect(first.status).toBe(503);
    expect(first.body.errorMessages[0]).toContain("Service Unavailable");
    expect((await jira("/myself")).status).toBe(503);
    expect((await jira("/issue", { body: newIssue() })).status).toBe(201);
    expect(await issuesInDemo()).toHaveLength(1);
  });

  it("limits faults to matching path prefixes", async () => {
    await setFaults({ serverError: { count: 1 }, paths: ["/rest/api/3/issue"] });
    expect((await jira("/myself")).status).toBe(200);
    expect(
      (await call(sandbox.url, `/ex/jira/${DEMO_SITES[0]!.cloudId}/rest/api/3/issue`, { body: newIssue() }))
        .status,
    ).toBe(500);
  });

  it("timeout.afterCreate creates the issue, then hangs up without answering", async () => {
    await setFaults({ timeout: { count: 1, afterCreate: true, hangMs: 100 } });
    // Non-create requests are not affected by afterCreate faults.
    expect((await jira("/myself")).status).toBe(200);
    await expect(
      fetch(`${sandbox.url}/rest/api/3/issue`, {
        method: "POST",
        headers: { Authorization: basicAuth(), "Content-Type": "application/json" },
        body: JSON.stringify(newIssue("Lost response")),
      }),
    ).rejects.toThrow();
    expect((await issuesInDemo()).map((i) => i.key)).toEqual(["DEMO-1"]);
    // A client retrying blindly would duplicate it; the next request is answered normally.
    expect((await jira("/issue", { body: newIssue() })).body.key).toBe("DEMO-2");
  });

  it("a plain timeout hangs before handling, so nothing is created", async () => {
    await setFaults({ timeout: { count: 1, hangMs: 5000 } });
    const request = fetch(`${sandbox.url}/rest/api/3/issue`, {
      method: "POST",
      headers: { Authorization: basicAuth(), "Content-Type": "application/json" },
      body: JSON.stringify(newIssue()),
      signal: AbortSignal.timeout(300),
    });
    await expect(request).rejects.toThrow();
    expect(await issuesInDemo()).toEqual([]);
  });

  it("dropResponseAfterCreate destroys the socket right after creating", async () => {
    await setFaults({ dropResponseAfterCreate: { count: 1 } });
    await expect(
      fetch(`${sandbox.url}/rest/api/3/issue/bulk`, {
        method: "POST",
        headers: { Authorization: basicAuth(), "Content-Type": "application/json" },
        body: JSON.stringify({ issueUpdates: [newIssue("a"), newIssue("b")] }),
      }),
    ).rejects.toThrow();
    expect((await issuesInDemo()).map((i) => i.key)).toEqual(["DEMO-1", "DEMO-2"]);
  });

  it("expireAccessTokens makes current OAuth tokens fail with 401 until refreshed", async () => {
    const cloudId = DEMO_SITES[0]!.cloudId;
    const tokens = await oauthTokens(sandbox.url);
    const myself = () =>
      call(sandbox.url, `/ex/jira/${cloudId}/rest/api/3/myself`, { auth: bearer(tokens.access_token) });
    expect((await myself()).status).toBe(200);
    const set = await setFaults({ expireAccessTokens: true });
    expect(set.body.expiredAccessTokens).toBe(1);
    const expired = await myself();
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ code: 401, message: "Unauthorized" });
  });

  it("rejects malformed fault settings", async () => {
    const bad = await setFaults({ serverError: { count: 1, status: 418 } });
    expect(bad.status).toBe(400);
    expect((await setFaults({ latency: 5 })).status).toBe(400);
  });
});

describe("admin API", () => {
  it("resets state and lists issues, requests and the clock", async () => {
    await jira("/issue", { body: newIssue() });
    expect(await issuesInDemo()).toHaveLength(1);
    const requests = await call(sandbox.url, "/__sandbox/requests?limit=1", { auth: null });
    expect(requests.body).toEqual([
      expect.objectContaining({
        method: "POST",
        path: "/rest/api/3/issue",
        status: 201,
        authKind: "basic",
        valid: true,
        operationId: "createIssue",
      }),
    ]);
    const before = (await call(sandbox.url, "/__sandbox/clock", { auth: null })).body.nowMs as number;
    const after = (await call(sandbox.url, "/__sandbox/clock", { body: { advanceMs: 60_000 }, auth: null }))
      .body.nowMs as number;
    expect(after - before).toBeGreaterThanOrEqual(60_000);
    await call(sandbox.url, "/__sandbox/reset", { method: "POST", auth: null });
    expect(await issuesInDemo()).toEqual([]);
    const index = await call(sandbox.url, "/__sandbox", { auth: null });
    expect(index.body.users).toHaveLength(3);
  });
});
