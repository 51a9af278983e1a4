import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { adfFromText } from "./adf";
import { DEFAULT_OAUTH_CLIENT, DEMO_ISSUE_TYPES, DEMO_SITES } from "./fixtures";
import { startSandbox, type SandboxHandle } from "./server";
import { ADA, bearer, call, oauthTokens } from "./test-helpers";

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

let sandbox: SandboxHandle;
let receiver: Server;
let receiverUrl: string;
let received: Received[] = [];
/** Status codes the receiver answers with, consumed one per request (then 200). */
let answers: number[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      received.push({ path: req.url ?? "", headers: req.headers, raw, body: JSON.parse(raw) });
      res.writeHead(answers.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await sandbox.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});
beforeEach(async () => {
  await call(sandbox.url, "/__sandbox/reset", { method: "POST", auth: null });
  received = [];
  answers = [];
});

const jira = (path: string, init?: Parameters<typeof call>[2]) =>
  call(sandbox.url, `/rest/api/3${path}`, init);
const newIssue = (projectKey = "DEMO", summary = "Hooked") => ({
  fields: { project: { key: projectKey }, issuetype: { id: DEMO_ISSUE_TYPES.task.id }, summary },
});

async function waitFor(count: number): Promise<Received[]> {
  const deadline = Date.now() + 5000;
  while (received.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await sandbox.webhooksIdle();
  return received;
}

describe("admin webhooks (signed with X-Hub-Signature)", () => {
  const secret = "s3cr3t";

  it("delivers issue_created, issue_updated with a changelog, and comment_created", async () => {
    const registered = await call(sandbox.url, "/__sandbox/webhooks", {
      body: { url: `${receiverUrl}/hooks/jira`, secret },
      auth: null,
    });
    expect(registered.status).toBe(201);

    const created = await jira("/issue", { body: newIssue() });
    const [first] = await waitFor(1);
    expect(first!.path).toBe("/hooks/jira");
    expect(first!.headers["x-hub-signature"]).toBe(
      `sha256=${createHmac("sha256", secret).update(first!.raw).digest("hex")}`,
    );
    expect(first!.headers["content-type"]).toContain("application/json");
    expect(first!.body).toMatchObject({
      webhookEvent: "jira:issue_created",
      issue_event_type_name: "issue_created",
      timestamp: expect.any(Number),
      user: { accountId: ADA.accountId },
      issue: { id: created.body.id, key: "DEMO-1", fields: { summary: "Hooked", project: { key: "DEMO" } } },
    });

    await jira("/issue/DEMO-1", {
      method: "PUT",
      body: { fields: { summary: "Renamed", description: adfFromText("Now with text") } },
    });
    const [, updated] = await waitFor(2);
    expect(updated!.body.webhookEvent).toBe("jira:issue_updated");
    expect(updated!.body.changelog.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: "summary", fromString: "Hooked", toString: "Renamed" }),
        expect.objectContaining({ field: "description", toString: "Now with text" }),
      ]),
    );
    // Webhooks use REST v2 shapes: rich text arrives as a string.
    expect(updated!.body.issue.fields.description).toBe("Now with text");

    await jira("/issue/DEMO-1/comment", { body: { body: adfFromText("Looking") } });
    const events = (await waitFor(4)).map(
      (r) => `${r.body.webhookEvent}/${r.body.issue_event_type_name ?? ""}`,
    );
    expect(events.slice(2).sort()).toEqual(["comment_created/", "jira:issue_updated/issue_commented"]);
    const comment = received.find((r) => r.body.webhookEvent === "comment_created")!;
    expect(comment.body.comment).toMatchObject({ body: "Looking", author: { accountId: ADA.accountId } });

    const deliveries = await call(sandbox.url, "/__sandbox/webhooks/deliveries", { auth: null });
    expect(deliveries.body).toHaveLength(4);
    expect(deliveries.body.every((d: { status: number }) => d.status === 200)).toBe(true);
  });

  it("filters by events and JQL, and retries once after a failure", async () => {
    await call(sandbox.url, "/__sandbox/webhooks", {
      body: { url: receiverUrl, events: ["jira:issue_created"], jqlFilter: "project = OPS" },
      auth: null,
    });
    answers = [500];
    await jira("/issue", { body: newIssue("DEMO") });
    await jira("/issue", { body: newIssue("OPS") });
    const hooks = await waitFor(2);
    expect(hooks.map((h) => h.body.issue.key)).toEqual(["OPS-1", "OPS-1"]);
    expect(hooks[1]!.headers["x-atlassian-webhook-retry"]).toBe("1");
    expect(hooks[0]!.headers["x-hub-signature"]).toBeUndefined();
  });

  it("refuses non-loopback URLs", async () => {
    const response = await call(sandbox.url, "/__sandbox/webhooks", {
      body: { url: "https://example.com/hook" },
      auth: null,
    });
    expect(response.status).toBe(400);
  });
});

describe("dynamic webhooks (REST, OAuth apps)", () => {
  const cloudId = DEMO_SITES[0]!.cloudId;

  it("registers, lists, refreshes, delivers with a JWT, and deletes", async () => {
    const tokens = await oauthTokens(sandbox.url);
    const api = (path: string, init: Parameters<typeof call>[2] = {}) =>
      call(sandbox.url, `/ex/jira/${cloudId}/rest/api/3${path}`, {
        ...init,
        auth: bearer(tokens.access_token),
      });

    const registered = await api("/webhook", {
      body: {
        url: `${receiverUrl}/dynamic`,
        webhooks: [
          { events: ["jira:issue_created"], jqlFilter: "project = DEMO" },
          { events: ["jira:issue_created"], jqlFilter: "project = NOPE" },
        ],
      },
    });
    expect(registered.status).toBe(200);
    const [ok, failed] = registered.body.webhookRegistrationResult;
    expect(ok.createdWebhookId).toEqual(expect.any(Number));
    expect(failed.errors).toEqual(["The value 'NOPE' does not exist for the field 'project'."]);

    const list = await api("/webhook");
    expect(list.body).toMatchObject({
      total: 1,
      isLast: true,
      values: [{ id: ok.createdWebhookId, jqlFilter: "project = DEMO", events: ["jira:issue_created"] }],
    });
    const expiry = list.body.values[0].expirationDate as number;
    expect(expiry - Date.now()).toBeGreaterThan(29 * 24 * 3600 * 1000);

    await call(sandbox.url, "/__sandbox/clock", { body: { advanceMs: 30 * 60 * 1000 }, auth: null }); // access tokens live 1h
    const refreshed = await api("/webhook/refresh", {
      method: "PUT",
      body: { webhookIds: [ok.createdWebhookId] },
    });
    expect(refreshed.body.expirationDate).toBeGreaterThan(expiry);

    await api("/issue", { body: newIssue("OPS") });
    await api("/issue", { body: newIssue("DEMO") });
    const [hook] = await waitFor(1);
    expect(received).toHaveLength(1);
    expect(hook!.body.issue.key).toBe("DEMO-1");
    const jwt = String(hook!.headers.authorization).replace(/^Bearer /, "");
    const [header, claims, signature] = jwt.split(".");
    expect(
      createHmac("sha256", DEFAULT_OAUTH_CLIENT.clientSecret)
        .update(`${header}.${claims}`)
        .digest("base64url"),
    ).toBe(signature);
    expect(JSON.parse(Buffer.from(claims!, "base64url").toString())).toMatchObject({
      aud: DEFAULT_OAUTH_CLIENT.clientId,
    });

    expect(
      (await api("/webhook", { method: "DELETE", body: { webhookIds: [ok.createdWebhookId] } })).status,
    ).toBe(202);
    expect((await api("/webhook")).body.total).toBe(0);
  });

  it("is refused for Basic-auth callers", async () => {
    const response = await jira("/webhook", {
      body: {
        url: `${receiverUrl}/x`,
        webhooks: [{ events: ["jira:issue_created"], jqlFilter: "project = DEMO" }],
      },
    });
    expect(response.status).toBe(403);
  });
});
