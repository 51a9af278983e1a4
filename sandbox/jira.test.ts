import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { adfFromText } from "./adf";
import { DEMO_ISSUE_TYPES, DEMO_SITES, ENVIRONMENT_FIELD_ID } from "./fixtures";
import { startSandbox, type SandboxHandle } from "./server";
import { ADA, GRACE, LINUS, basicAuth, bearer, call, oauthTokens } from "./test-helpers";

const ACME = DEMO_SITES[0]!;
const GLOBEX = DEMO_SITES[1]!;

let sandbox: SandboxHandle;
// validateResponses keeps the sandbox's own answers honest against Atlassian's document.
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, validateResponses: true });
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(async () => {
  await call(sandbox.url, "/__sandbox/reset", { method: "POST", auth: null });
});

const jira = (path: string, init?: Parameters<typeof call>[2]) =>
  call(sandbox.url, `/rest/api/3${path}`, init);

function issueInput(fields: Record<string, unknown>, projectKey = "DEMO") {
  return {
    fields: {
      project: { key: projectKey },
      issuetype: { id: DEMO_ISSUE_TYPES.task.id },
      summary: "Printer on fire",
      ...fields,
    },
  };
}

async function expectNoResponseViolations() {
  const violations = sandbox.violations().filter((v) => v.kind === "response");
  expect(violations).toEqual([]);
}

describe("authentication", () => {
  it("accepts Basic email:apiToken and Bearer PAT; rejects wrong tokens with Jira's 401 body", async () => {
    const basic = await jira("/myself");
    expect(basic.status).toBe(200);
    expect(basic.headers.get("content-type")).toBe("application/json;charset=UTF-8");
    expect(basic.body).toMatchObject({
      accountId: ADA.accountId,
      emailAddress: ADA.email,
      displayName: "Ada Lovelace",
      accountType: "atlassian",
      active: true,
    });

    expect((await fetch(basic.body.avatarUrls["48x48"])).headers.get("content-type")).toBe("image/svg+xml");

    const pat = await jira("/myself", { auth: bearer(GRACE.personalAccessToken) });
    expect(pat.body.accountId).toBe(GRACE.accountId);

    const wrong = await jira("/myself", { auth: basicAuth(ADA, "not-the-token") });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({
      errorMessages: ["You are not authenticated. Authentication required to perform this operation."],
      errors: {},
    });
    expect((await jira("/myself", { auth: null })).status).toBe(401);
  });

  it("serves each site at its own base URL and refuses users without access", async () => {
    const globex = await call(sandbox.url, "/site/globex-demo/rest/api/3/serverInfo", {
      auth: basicAuth(LINUS),
    });
    expect(globex.body).toMatchObject({
      deploymentType: "Cloud",
      baseUrl: `${sandbox.url}/site/globex-demo`,
    });
    const refused = await call(sandbox.url, "/site/globex-demo/rest/api/3/myself", {
      auth: basicAuth(GRACE),
    });
    expect(refused.status).toBe(403);
    // The bare /rest/api/3 root is acme-demo, where Linus has no account.
    expect((await jira("/myself", { auth: basicAuth(LINUS) })).status).toBe(403);
    expect((await call(sandbox.url, "/site/nope/rest/api/3/myself")).status).toBe(404);
  });

  it("answers serverInfo anonymously", async () => {
    const info = await jira("/serverInfo", { auth: null });
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ deploymentType: "Cloud", version: expect.any(String) });
  });

  it("accepts only OAuth tokens on /ex/jira/{cloudId}, for granted sites and scopes", async () => {
    const tokens = await oauthTokens(sandbox.url, { user: ADA, siteIds: [ACME.cloudId] });
    const ok = await call(sandbox.url, `/ex/jira/${ACME.cloudId}/rest/api/3/project/DEMO`, {
      auth: bearer(tokens.access_token),
    });
    expect(ok.status).toBe(200);
    expect(ok.body.self).toBe(`${sandbox.url}/ex/jira/${ACME.cloudId}/rest/api/3/project/10000`);

    expect(
      (
        await call(sandbox.url, `/ex/jira/00000000-0000-0000-0000-000000000000/rest/api/3/myself`, {
          auth: bearer(tokens.access_token),
        })
      ).status,
    ).toBe(404);
    // Known site that was not granted at consent.
    expect(
      (
        await call(sandbox.url, `/ex/jira/${GLOBEX.cloudId}/rest/api/3/myself`, {
          auth: bearer(tokens.access_token),
        })
      ).status,
    ).toBe(401);
    // Basic auth is not accepted on the OAuth gateway.
    expect((await call(sandbox.url, `/ex/jira/${ACME.cloudId}/rest/api/3/myself`)).status).toBe(401);

    const readOnly = await oauthTokens(sandbox.url, { scopes: ["read:jira-work", "read:jira-user"] });
    const denied = await call(sandbox.url, `/ex/jira/${ACME.cloudId}/rest/api/3/issue`, {
      auth: bearer(readOnly.access_token),
      body: issueInput({}),
    });
    expect(denied.status).toBe(401);
    expect(denied.body.message).toContain("scope does not match");
  });
});

describe("projects and metadata", () => {
  it("searches projects with paging and action=create", async () => {
    const all = await jira("/project/search?maxResults=2");
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ startAt: 0, maxResults: 2, total: 3, isLast: false });
    expect(all.body.values.map((p: { key: string }) => p.key)).toEqual(["DEMO", "OPS"]);
    expect(all.body.nextPage).toContain("startAt=2");

    const creatable = await jira("/project/search?action=create");
    expect(creatable.body.values.map((p: { key: string }) => p.key)).toEqual(["DEMO", "OPS"]);
    const byKeys = await jira("/project/search?keys=READ&keys=OPS");
    expect(byKeys.body.values.map((p: { key: string }) => p.key)).toEqual(["OPS", "READ"]);
    await expectNoResponseViolations();
  });

  it("gets a project and 404s unknown ones like Jira", async () => {
    const project = await jira("/project/OPS");
    expect(project.body).toMatchObject({ id: "10001", key: "OPS", name: "Operations" });
    expect(project.body.issueTypes.map((t: { name: string }) => t.name)).toEqual([
      "Epic",
      "Task",
      "Story",
      "Bug",
    ]);
    const missing = await jira("/project/NOPE");
    expect(missing.status).toBe(404);
    expect(missing.body.errorMessages).toEqual(["No project could be found with key 'NOPE'."]);
  });

  it("reports permissions per project", async () => {
    const read = await jira("/mypermissions?projectKey=READ&permissions=CREATE_ISSUES,BROWSE_PROJECTS");
    expect(read.body.permissions.CREATE_ISSUES.havePermission).toBe(false);
    expect(read.body.permissions.BROWSE_PROJECTS.havePermission).toBe(true);
    const demo = await jira("/mypermissions?projectKey=DEMO&permissions=CREATE_ISSUES");
    expect(demo.body.permissions.CREATE_ISSUES).toMatchObject({ key: "CREATE_ISSUES", havePermission: true });
    expect((await jira("/mypermissions")).status).toBe(400);
    await expectNoResponseViolations();
  });

  it("describes create metadata, including required custom fields", async () => {
    const types = await jira("/issue/createmeta/OPS/issuetypes");
    expect(types.body).toMatchObject({ startAt: 0, total: 4 });
    expect(types.body.issueTypes.map((t: { name: string }) => t.name)).toEqual([
      "Epic",
      "Task",
      "Story",
      "Bug",
    ]);

    const bug = await jira(`/issue/createmeta/OPS/issuetypes/${DEMO_ISSUE_TYPES.bug.id}`);
    const byId = Object.fromEntries(bug.body.fields.map((f: { fieldId: string }) => [f.fieldId, f]));
    expect(byId.summary).toMatchObject({
      required: true,
      name: "Summary",
      schema: { type: "string", system: "summary" },
    });
    expect(byId[ENVIRONMENT_FIELD_ID]).toMatchObject({
      required: true,
      name: "Environment",
      schema: { type: "option" },
    });
    expect(byId[ENVIRONMENT_FIELD_ID].allowedValues.map((o: { value: string }) => o.value)).toEqual([
      "Production",
      "Staging",
      "Development",
    ]);
    const task = await jira(`/issue/createmeta/OPS/issuetypes/${DEMO_ISSUE_TYPES.task.id}`);
    expect(
      task.body.fields.find((f: { fieldId: string }) => f.fieldId === ENVIRONMENT_FIELD_ID).required,
    ).toBe(false);

    expect((await jira("/issue/createmeta/READ/issuetypes")).body.issueTypes).toEqual([]);
    await expectNoResponseViolations();
  });

  it("lists priorities", async () => {
    const priorities = await jira("/priority");
    expect(priorities.body.map((p: { id: string; name: string }) => `${p.id}:${p.name}`)).toEqual([
      "1:Highest",
      "2:High",
      "3:Medium",
      "4:Low",
      "5:Lowest",
    ]);
  });
});

describe("creating issues", () => {
  it("creates an issue with an ADF description (201, DEMO-n keys, ids from 10001)", async () => {
    const first = await jira("/issue", {
      body: issueInput({
        description: adfFromText("It is really on fire."),
        labels: ["printer", "fire"],
        priority: { name: "High" },
      }),
    });
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ id: "10001", key: "DEMO-1", self: `${sandbox.url}/rest/api/3/issue/10001` });
    const second = await jira("/issue", { body: issueInput({ summary: "Second" }) });
    expect(second.body.key).toBe("DEMO-2");

    const issue = await jira("/issue/DEMO-1");
    expect(issue.status).toBe(200);
    expect(issue.body.fields).toMatchObject({
      summary: "Printer on fire",
      description: adfFromText("It is really on fire."),
      labels: ["printer", "fire"],
      priority: { id: "2", name: "High" },
      status: { name: "To Do", statusCategory: { key: "new" } },
      issuetype: { id: DEMO_ISSUE_TYPES.task.id, name: "Task" },
      project: { key: "DEMO", id: "10000" },
      reporter: { accountId: ADA.accountId },
      assignee: null,
    });
    expect(issue.body.fields.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    await expectNoResponseViolations();
  });

  it("rejects a plain-string description exactly like Jira", async () => {
    const response = await jira("/issue", { body: issueInput({ description: "plain text" }) });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      errorMessages: [],
      errors: { description: "Operation value must be an Atlassian Document" },
    });
  });

  it("rejects ADF with unsupported nodes", async () => {
    const doc = {
      type: "doc",
      version: 1,
      content: [{ type: "paragraph", content: [{ type: "mention", attrs: { id: "x" } }] }],
    };
    const response = await jira("/issue", { body: issueInput({ description: doc }) });
    expect(response.status).toBe(400);
    expect(response.body.errors.description).toContain("unsupported node type 'mention'");
  });

  it("enforces summary rules", async () => {
    const missing = await jira("/issue", {
      body: { fields: { project: { key: "DEMO" }, issuetype: { name: "Task" } } },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual({ summary: "You must specify a summary of the issue." });
    const long = await jira("/issue", { body: issueInput({ summary: "x".repeat(256) }) });
    expect(long.body.errors.summary).toBe("Summary must be less than 255 characters.");
  });

  it("requires the Environment custom field for OPS bugs", async () => {
    const bug = { project: { key: "OPS" }, issuetype: { id: DEMO_ISSUE_TYPES.bug.id }, summary: "Down" };
    const missing = await jira("/issue", { body: { fields: bug } });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual({ [ENVIRONMENT_FIELD_ID]: "Environment is required." });
    const invalid = await jira("/issue", {
      body: { fields: { ...bug, [ENVIRONMENT_FIELD_ID]: { value: "Moon" } } },
    });
    expect(invalid.body.errors[ENVIRONMENT_FIELD_ID]).toBe("Option value 'Moon' is not valid");
    const ok = await jira("/issue", {
      body: { fields: { ...bug, [ENVIRONMENT_FIELD_ID]: { value: "Production" } } },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.key).toBe("OPS-1");
    const issue = await jira("/issue/OPS-1");
    expect(issue.body.fields[ENVIRONMENT_FIELD_ID]).toMatchObject({ value: "Production", id: "10100" });
  });

  it("refuses creation in READ (no CREATE_ISSUES) and reports unknown projects, types and fields", async () => {
    const read = await jira("/issue", { body: issueInput({}, "READ") });
    expect(read.status).toBe(400);
    expect(read.body.errors).toEqual({
      project: "You do not have permission to create issues in this project.",
    });
    expect((await jira("/issue", { body: issueInput({}, "NOPE") })).body.errors.project).toBe(
      "Specify a valid project ID or key",
    );
    expect(
      (await jira("/issue", { body: issueInput({ issuetype: { id: "99999" } }) })).body.errors.issuetype,
    ).toBe("The issue type selected is invalid.");
    const unknownField = await jira("/issue", { body: issueInput({ customfield_99999: "x" }) });
    expect(unknownField.body.errors.customfield_99999).toContain("cannot be set");
  });

  it("stores issue properties given on create and finds them by JQL", async () => {
    const created = await jira("/issue", {
      body: { ...issueInput({}), properties: [{ key: "ticketbridge", value: { requestId: "req-42" } }] },
    });
    expect(created.status).toBe(201);
    const property = await jira(`/issue/${created.body.key}/properties/ticketbridge`);
    expect(property.body).toEqual({ key: "ticketbridge", value: { requestId: "req-42" } });
    const found = await jira(
      `/search/jql?jql=${encodeURIComponent('project = DEMO AND issue.property[ticketbridge].requestId = "req-42"')}&fields=summary`,
    );
    expect(found.body.issues.map((i: { key: string }) => i.key)).toEqual([created.body.key]);
    const none = await jira(
      `/search/jql?jql=${encodeURIComponent('issue.property[ticketbridge].requestId = "other"')}`,
    );
    expect(none.body).toEqual({ issues: [], isLast: true });
  });

  it("bulk-creates with partial failures (201) and rejects all-failed (400) or > 50 (400)", async () => {
    const partial = await jira("/issue/bulk", {
      body: {
        issueUpdates: [
          issueInput({ summary: "one" }),
          issueInput({ description: "string" }),
          issueInput({ summary: "three" }),
        ],
      },
    });
    expect(partial.status).toBe(201);
    expect(partial.body.issues.map((i: { key: string }) => i.key)).toEqual(["DEMO-1", "DEMO-2"]);
    expect(partial.body.errors).toEqual([
      {
        status: 400,
        elementErrors: {
          errorMessages: [],
          errors: { description: "Operation value must be an Atlassian Document" },
        },
        failedElementNumber: 1,
      },
    ]);

    const allFailed = await jira("/issue/bulk", { body: { issueUpdates: [issueInput({}, "READ")] } });
    expect(allFailed.status).toBe(400);
    expect(allFailed.body.issues).toEqual([]);

    const tooMany = await jira("/issue/bulk", {
      body: { issueUpdates: Array.from({ length: 51 }, (_, i) => issueInput({ summary: `n${i}` })) },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errorMessages[0]).toContain("50");
    await expectNoResponseViolations();
  });
});

describe("working with issues", () => {
  let key: string;
  beforeEach(async () => {
    key = (await jira("/issue", { body: issueInput({}) })).body.key as string;
  });

  it("404s unknown issues and honours fields/properties on GET", async () => {
    const missing = await jira("/issue/DEMO-999");
    expect(missing.status).toBe(404);
    expect(missing.body.errorMessages).toEqual([
      "Issue does not exist or you do not have permission to see it.",
    ]);
    await jira(`/issue/${key}/properties/marker`, { method: "PUT", body: { id: "m1" } });
    const partial = await jira(`/issue/${key.toLowerCase()}?fields=summary,status&properties=marker`);
    expect(Object.keys(partial.body.fields).sort()).toEqual(["status", "summary"]);
    expect(partial.body.properties).toEqual({ marker: { id: "m1" } });
  });

  it("lists and performs transitions", async () => {
    const transitions = await jira(`/issue/${key}/transitions`);
    expect(
      transitions.body.transitions.map((t: { id: string; name: string }) => `${t.id}:${t.name}`),
    ).toEqual(["21:In Progress", "31:Done"]);
    const done = await jira(`/issue/${key}/transitions`, { body: { transition: { id: "31" } } });
    expect(done.status).toBe(204);
    expect((await jira(`/issue/${key}`)).body.fields.status).toMatchObject({
      name: "Done",
      statusCategory: { key: "done" },
    });
    const invalid = await jira(`/issue/${key}/transitions`, { body: { transition: { id: "31" } } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errorMessages).toEqual(["Transition id '31' is not valid for this issue."]);
    await expectNoResponseViolations();
  });

  it("adds, lists and gets comments with ADF bodies and visibility", async () => {
    const added = await jira(`/issue/${key}/comment`, {
      body: { body: adfFromText("On it."), visibility: { type: "role", value: "Developers" } },
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      id: "10000",
      body: adfFromText("On it."),
      author: { accountId: ADA.accountId },
      visibility: { type: "role", value: "Developers" },
    });
    const plain = await jira(`/issue/${key}/comment`, { body: { body: "plain" } });
    expect(plain.status).toBe(400);
    expect(plain.body.errors.comment).toBe("Operation value must be an Atlassian Document");
    const list = await jira(`/issue/${key}/comment`);
    expect(list.body).toMatchObject({ startAt: 0, total: 1 });
    const one = await jira(`/issue/${key}/comment/10000`);
    expect(one.body.id).toBe("10000");
    expect((await jira(`/issue/${key}/comment/1`)).status).toBe(404);
    await expectNoResponseViolations();
  });

  it("sets, lists and deletes issue properties", async () => {
    expect((await jira(`/issue/${key}/properties/a`, { method: "PUT", body: { n: 1 } })).status).toBe(201);
    expect((await jira(`/issue/${key}/properties/a`, { method: "PUT", body: { n: 2 } })).status).toBe(200);
    const keys = await jira(`/issue/${key}/properties`);
    expect(keys.body.keys.map((k: { key: string }) => k.key)).toEqual(["a"]);
    expect((await jira(`/issue/${key}/properties/a`)).body.value).toEqual({ n: 2 });
    expect((await jira(`/issue/${key}/properties/a`, { method: "DELETE" })).status).toBe(204);
    expect((await jira(`/issue/${key}/properties/a`)).status).toBe(404);
  });

  it("edits fields and assigns", async () => {
    const edit = await jira(`/issue/${key}`, {
      method: "PUT",
      body: { fields: { summary: "Renamed" }, update: { labels: [{ add: "triaged" }] } },
    });
    expect(edit.status).toBe(204);
    expect(
      (await jira(`/issue/${key}/assignee`, { method: "PUT", body: { accountId: GRACE.accountId } })).status,
    ).toBe(204);
    const issue = await jira(`/issue/${key}?expand=changelog`);
    expect(issue.body.fields).toMatchObject({
      summary: "Renamed",
      labels: ["triaged"],
      assignee: { accountId: GRACE.accountId },
    });
    expect(issue.body.changelog.total).toBe(2);
    const badAssignee = await jira(`/issue/${key}/assignee`, {
      method: "PUT",
      body: { accountId: LINUS.accountId },
    });
    expect(badAssignee.status).toBe(400);
    const badEdit = await jira(`/issue/${key}`, {
      method: "PUT",
      body: { fields: { description: "plain" } },
    });
    expect(badEdit.body.errors.description).toBe("Operation value must be an Atlassian Document");
  });
});

describe("JQL search", () => {
  it("pages through 120 issues with nextPageToken", async () => {
    for (let batch = 0; batch < 3; batch += 1) {
      const issueUpdates = Array.from({ length: 40 }, (_, i) =>
        issueInput({ summary: `Issue ${batch * 40 + i}` }),
      );
      expect((await jira("/issue/bulk", { body: { issueUpdates } })).status).toBe(201);
    }
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const body: Record<string, unknown> = {
        jql: "project = DEMO ORDER BY key ASC",
        maxResults: 50,
        fields: ["summary"],
      };
      if (token) body.nextPageToken = token;
      const page = await jira("/search/jql", { body });
      expect(page.status).toBe(200);
      pages += 1;
      seen.push(...page.body.issues.map((i: { key: string }) => i.key));
      token = page.body.nextPageToken;
      expect(page.body.isLast).toBe(token === undefined);
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    expect(seen[0]).toBe("DEMO-1");
    expect(seen[119]).toBe("DEMO-120");
    await expectNoResponseViolations();
  });

  it("returns ids only by default and supports key in (...), updated and ORDER BY", async () => {
    await jira("/issue/bulk", {
      body: {
        issueUpdates: [
          issueInput({ summary: "a" }),
          issueInput({ summary: "b" }),
          issueInput({ summary: "c" }),
        ],
      },
    });
    const idsOnly = await jira(`/search/jql?jql=${encodeURIComponent("project = DEMO")}`);
    expect(idsOnly.body.issues[0]).toEqual({
      expand: expect.any(String),
      id: "10003",
      self: expect.any(String),
      key: "DEMO-3",
    });
    expect(idsOnly.body.issues[0].fields).toBeUndefined();

    const keys = await jira(
      `/search/jql?jql=${encodeURIComponent("key in (DEMO-1, DEMO-3) ORDER BY key DESC")}&fields=summary`,
    );
    expect(
      keys.body.issues.map(
        (i: { key: string; fields: { summary: string } }) => `${i.key}:${i.fields.summary}`,
      ),
    ).toEqual(["DEMO-3:c", "DEMO-1:a"]);

    await call(sandbox.url, "/__sandbox/clock", { body: { advanceMs: 10 * 60 * 1000 }, auth: null });
    await jira("/issue/DEMO-2", { method: "PUT", body: { fields: { summary: "b2" } } });
    const recent = await jira(`/search/jql?jql=${encodeURIComponent("project = DEMO AND updated >= -5m")}`);
    expect(recent.body.issues.map((i: { key: string }) => i.key)).toEqual(["DEMO-2"]);
    const since = new Date(Date.now() + 5 * 60 * 1000).toISOString().slice(0, 16).replace("T", " ");
    const absolute = await jira(
      `/search/jql?jql=${encodeURIComponent(`project = DEMO AND updated >= "${since}" ORDER BY updated DESC`)}`,
    );
    expect(absolute.body.issues.map((i: { key: string }) => i.key)).toEqual(["DEMO-2"]);
  });

  it("rejects unsupported, unbounded or invalid JQL with 400", async () => {
    const or = await jira(`/search/jql?jql=${encodeURIComponent("project = DEMO OR project = OPS")}`);
    expect(or.status).toBe(400);
    expect(or.body.errorMessages[0]).toMatch(/^Error in the JQL Query: /);
    expect(
      (await jira(`/search/jql?jql=${encodeURIComponent("ORDER BY created")}`)).body.errorMessages[0],
    ).toContain("Unbounded");
    expect(
      (await jira(`/search/jql?jql=${encodeURIComponent("project = NOPE")}`)).body.errorMessages[0],
    ).toBe("The value 'NOPE' does not exist for the field 'project'.");
    expect((await jira(`/search/jql?jql=${encodeURIComponent("foo = bar")}`)).status).toBe(400);
    expect(
      (await jira("/search/jql", { body: { jql: "project = DEMO", nextPageToken: "garbage" } })).status,
    ).toBe(400);
  });
});

describe("OpenAPI conformance", () => {
  it("rejects and records requests that do not match Atlassian's document", async () => {
    const response = await jira("/project/search?maxResults=abc");
    expect(response.status).toBe(400);
    expect(response.body.errorMessages[0]).toMatch(
      /^Request does not conform to Jira's OpenAPI document: .*maxResults/,
    );
    const violations = await call(sandbox.url, "/__sandbox/violations", { auth: null });
    expect(violations.body).toEqual([
      expect.objectContaining({
        kind: "request",
        method: "GET",
        operationId: "searchProjects",
        path: "/rest/api/3/project/search?maxResults=abc",
      }),
    ]);
    expect(sandbox.violations()).toHaveLength(1);

    const badBody = await jira("/issue", { body: { fields: "not an object" } });
    expect(badBody.status).toBe(400);
    const unknown = await jira("/no/such/thing");
    expect(unknown.status).toBe(404);
    expect(sandbox.violations().map((v) => v.kind)).toEqual(["request", "request", "unknown-operation"]);

    const log = await call(sandbox.url, "/__sandbox/requests?limit=3", { auth: null });
    expect(log.body.map((e: { status: number; valid: boolean }) => [e.status, e.valid])).toEqual([
      [400, false],
      [400, false],
      [404, false],
    ]);
  });

  it("logs violations loudly to stderr in strict mode", async () => {
    const strict = await startSandbox({ port: 0, strict: true });
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect((await call(strict.url, "/rest/api/3/project/search?maxResults=abc")).status).toBe(400);
      expect(stderr.mock.calls.some(([chunk]) => String(chunk).includes("OPENAPI VIOLATION"))).toBe(true);
    } finally {
      stderr.mockRestore();
      await strict.close();
    }
  });
});
