import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { adfFromText } from "./adf";
import { DEMO_ISSUE_TYPES, STEPS_TO_REPRODUCE_FIELD_ID } from "./fixtures";
import { startSandbox, type SandboxHandle } from "./server";
import { ADA, basicAuth, bearer, call, oauthTokens } from "./test-helpers";

let sandbox: SandboxHandle;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, validateResponses: true });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(async () => {
  await call(sandbox.url, "/__sandbox/reset", { method: "POST", auth: null });
});

const pat = bearer(ADA.personalAccessToken);
const dc = (path: string, init?: Parameters<typeof call>[2]) =>
  call(sandbox.url, `/dc/acme-demo/rest/api/2${path}`, { auth: pat, ...init });
const cloudV2 = (path: string, init?: Parameters<typeof call>[2]) =>
  call(sandbox.url, `/site/acme-demo/rest/api/2${path}`, init);

const bug = (fields: Record<string, unknown>) => ({
  fields: {
    project: { key: "DEMO" },
    issuetype: { id: DEMO_ISSUE_TYPES.bug.id },
    summary: "Printer on fire",
    ...fields,
  },
});

async function storedIssue(key: string) {
  const issues = (await call(sandbox.url, "/__sandbox/issues?project=DEMO", { auth: null })).body as Array<{
    key: string;
    description: unknown;
    comments: Array<{ body: unknown }>;
  }>;
  return issues.find((issue) => issue.key === key);
}

describe("REST v2 (rich text as strings)", () => {
  it("creates with a string description, stores ADF, and reads back a string on v2 and ADF on v3", async () => {
    const created = await cloudV2("/issue", {
      body: bug({ description: "Line one\n\n<b>not bold</b>", [STEPS_TO_REPRODUCE_FIELD_ID]: "1. plug in" }),
    });
    expect(created.status).toBe(201);
    expect(created.body.self).toBe(`${sandbox.url}/site/acme-demo/rest/api/2/issue/${created.body.id}`);

    const v2 = await cloudV2(`/issue/${created.body.key}`);
    expect(v2.body.fields.description).toBe("Line one\n\n<b>not bold</b>");
    expect(v2.body.fields[STEPS_TO_REPRODUCE_FIELD_ID]).toBe("1. plug in");
    expect(v2.body.self).toContain("/rest/api/2/issue/");
    expect(v2.body.fields.status.self).toContain("/rest/api/2/status/");

    const v3 = await call(sandbox.url, `/site/acme-demo/rest/api/3/issue/${created.body.key}`);
    expect(v3.body.fields.description).toMatchObject({ type: "doc", version: 1 });
    expect((await storedIssue(created.body.key))?.description).toMatchObject({ type: "doc" });
    expect(sandbox.violations()).toEqual([]);
  });

  it("rejects ADF where v2 wants a string, like Jira does", async () => {
    const adf = await cloudV2("/issue", { body: bug({ description: adfFromText("x") }) });
    expect(adf.status).toBe(400);
    expect(adf.body).toEqual({
      errorMessages: [],
      errors: { description: "Operation value must be a string" },
    });
  });

  it("adds string comments (with visibility) and bulk-creates with string descriptions", async () => {
    const created = await cloudV2("/issue", { body: bug({}) });
    const comment = await cloudV2(`/issue/${created.body.key}/comment`, {
      body: { body: "Internal note", visibility: { type: "role", value: "Administrators" } },
    });
    expect(comment.status).toBe(201);
    expect(comment.body).toMatchObject({
      body: "Internal note",
      visibility: { type: "role", value: "Administrators" },
    });
    expect((await storedIssue(created.body.key))?.comments[0]?.body).toEqual(adfFromText("Internal note"));

    const bulk = await cloudV2("/issue/bulk", {
      body: { issueUpdates: [bug({ description: "one" }), bug({ description: { not: "a string" } })] },
    });
    expect(bulk.status).toBe(400);
    expect(bulk.body.errors).toEqual({ description: "Operation value must be a string" });
    const ok = await cloudV2("/issue/bulk", {
      body: { issueUpdates: [bug({ description: "one" }), bug({})] },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.issues).toHaveLength(2);
  });

  it("validates v2 requests against their v3 twin in the document", async () => {
    const unknownPath = await cloudV2("/no-such-thing");
    expect(unknownPath.status).toBe(404);
    const badQuery = await dc("/search", { body: { jql: "project = DEMO", notAField: true } });
    expect(badQuery.status).toBe(400);
    expect(sandbox.violations().map((v) => [v.kind, v.operationId])).toEqual([
      ["unknown-operation", null],
      ["request", "searchForIssuesUsingJqlPost"],
    ]);
    await call(sandbox.url, "/__sandbox/violations", { method: "DELETE", auth: null });
  });
});

describe("the Data Center personality (/dc/{site})", () => {
  it("reports itself as Data Center and serves only REST v2", async () => {
    const info = await call(sandbox.url, "/dc/acme-demo/rest/api/2/serverInfo", { auth: null });
    expect(info.body).toMatchObject({
      deploymentType: "DataCenter",
      version: "9.12.2",
      baseUrl: `${sandbox.url}/dc/acme-demo`,
    });
    const v3 = await call(sandbox.url, "/dc/acme-demo/rest/api/3/myself", { auth: pat });
    expect(v3.status).toBe(404);
    const cloud = await call(sandbox.url, "/site/acme-demo/rest/api/2/serverInfo", { auth: null });
    expect(cloud.body.deploymentType).toBe("Cloud");
  });

  it("accepts a PAT or Basic auth, never an OAuth token", async () => {
    expect((await dc("/myself")).body.emailAddress).toBe(ADA.email);
    expect((await dc("/myself", { auth: basicAuth() })).status).toBe(200);
    expect((await dc("/myself", { auth: bearer("wrong") })).status).toBe(401);
    const tokens = await oauthTokens(sandbox.url);
    expect((await dc("/myself", { auth: bearer(tokens.access_token) })).status).toBe(401);
  });

  it("lists all projects at GET /project", async () => {
    const projects = await dc("/project");
    expect(projects.body.map((p: { key: string }) => p.key)).toEqual(["DEMO", "OPS", "READ"]);
  });

  it("serves the classic search with startAt/total; Jira Cloud answers 410 for it", async () => {
    for (const labels of [["tb-ref-1"], ["tb-ref-2", "other"]]) {
      expect((await dc("/issue", { body: bug({ labels }) })).status).toBe(201);
    }
    const get = await dc(`/search?jql=${encodeURIComponent('labels = "tb-ref-2"')}&fields=summary,labels`);
    expect(get.body).toMatchObject({
      startAt: 0,
      total: 1,
      issues: [{ key: "DEMO-2", fields: { labels: ["tb-ref-2", "other"] } }],
    });
    const post = await dc("/search", {
      body: {
        jql: 'labels in ("tb-ref-1", "tb-ref-2") ORDER BY created ASC',
        fields: ["summary"],
        maxResults: 1,
      },
    });
    expect(post.body).toMatchObject({ total: 2, maxResults: 1, issues: [{ key: "DEMO-1" }] });
    expect(post.body.issues[0].self).toBe(
      `${sandbox.url}/dc/acme-demo/rest/api/2/issue/${post.body.issues[0].id}`,
    );

    for (const path of ["/site/acme-demo/rest/api/2/search", "/rest/api/3/search"]) {
      const gone = await call(sandbox.url, path, { body: { jql: "project = DEMO" } });
      expect(gone.status).toBe(410);
      expect(gone.body.errorMessages[0]).toContain("/rest/api/3/search/jql");
    }
    expect(sandbox.violations()).toEqual([]);
  });
});
