import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { ENVIRONMENT_FIELD_ID } from "../../../../sandbox/fixtures";
import { startSandbox, type SandboxHandle } from "../../../../sandbox/server";
import { ProviderError, type NormalizedTicket, type TicketingProvider } from "../types";
import { jiraProvider } from "./provider";
import type { JiraModeId } from "./schemas";
import {
  jiraContext,
  MemoryTokenSource,
  sandboxAdmin,
  sandboxIssues,
  type ContextOptions,
} from "./test-support";

/**
 * The adapter against the sandbox, once per connection mode: Jira Cloud with an API token and
 * with the user's OAuth grant (both REST v3), and Jira Data Center with a PAT (REST v2). Every
 * request must conform to Atlassian's OpenAPI document (checked in afterAll).
 */

let sandbox: SandboxHandle;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, strict: true });
});
afterAll(async () => {
  expect(sandbox.violations()).toEqual([]);
  await sandbox.close();
});

let sequence = 0;
function ticket(overrides: Partial<NormalizedTicket> = {}): NormalizedTicket {
  sequence += 1;
  return {
    marker: `cm${sequence}x${Date.now().toString(36)}`,
    title: `Printer on fire ${sequence}`,
    description: "The printer is **on fire**.\n\n- smoke\n- <script>alert(1)</script>",
    issueType: "Task",
    ...overrides,
  };
}

async function expectRejection(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => {
      throw new Error("expected a ProviderError");
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

const MODES: JiraModeId[] = ["cloud_api_token", "cloud_oauth", "server_pat"];

describe.each(MODES)("Jira provider (%s)", (mode) => {
  let tokens: MemoryTokenSource | undefined;
  const provider = (options: ContextOptions = {}): TicketingProvider =>
    jiraProvider.create(jiraContext(mode, sandbox, { tokens, ...options }));
  const cloud = mode !== "server_pat";

  beforeEach(async () => {
    await sandboxAdmin(sandbox, "/reset");
    tokens = mode === "cloud_oauth" ? await MemoryTokenSource.connect(sandbox.url) : undefined;
  });

  describe("checks", () => {
    it("pass for a reachable Jira, valid credentials, a visible project and Create Issues", async () => {
      const jira = provider();
      const checks = [
        await jira.testConnection(),
        await jira.testAuthentication(),
        await jira.testProjectAccess(),
        await jira.testPermissions(),
      ];
      expect(checks.map(({ type, passed }) => [type, passed])).toEqual([
        ["connection", true],
        ["authentication", true],
        ["project_access", true],
        ["permissions", true],
      ]);
      for (const check of checks) {
        expect(check.durationMs).toBeGreaterThanOrEqual(0);
        expect(check.errorCode).toBeUndefined();
      }
      expect(checks[0]?.message).toMatch(
        cloud ? /^Reached Jira Cloud at / : /^Reached Jira Data Center 9\.12\.2 at /,
      );
      expect(checks[1]?.message).toBe("Signed in to Jira as Ada Lovelace (ada@acme.example).");
      expect(checks[2]?.message).toBe("Project DEMO (Demo) is visible to this account.");
      expect(checks[3]?.message).toBe("This account can create Task issues in DEMO.");
    });

    it("fail authentication with a message that says what to do about the credentials", async () => {
      let jira: TicketingProvider;
      if (mode === "cloud_oauth") {
        // The grant is gone: the rejected token cannot be refreshed.
        await sandboxAdmin(sandbox, "/grants/revoke", {});
        jira = provider();
      } else {
        jira = provider({
          credentials: mode === "server_pat" ? { personalAccessToken: "nope" } : { apiToken: "nope" },
        });
      }
      const check = await jira.testAuthentication();
      expect(check).toMatchObject({
        type: "authentication",
        passed: false,
        errorCode: "INVALID_CREDENTIALS",
      });
      const expected = {
        cloud_api_token: "https://id.atlassian.com/manage-profile/security/api-tokens",
        server_pat: "Personal Access Tokens",
        cloud_oauth: "Reconnect your Atlassian account",
      }[mode];
      expect(check.message).toContain(expected);
    });

    it("fail project access for an unknown project and list the visible ones", async () => {
      const check = await provider({ config: { projectKey: "NOPE" } }).testProjectAccess();
      expect(check).toMatchObject({
        passed: false,
        errorCode: "NOT_FOUND",
        message:
          "Project NOPE was not found, or this account cannot browse it. Projects this account can see: DEMO, OPS, READ.",
      });
    });

    it("fail permissions where the account can browse but not create", async () => {
      const jira = provider({ config: { projectKey: "READ" } });
      expect((await jira.testProjectAccess()).passed).toBe(true);
      expect(await jira.testPermissions()).toMatchObject({
        passed: false,
        errorCode: "FORBIDDEN",
        message:
          "This account can see project READ but cannot create issues in it; ask a Jira admin for the Create Issues permission in READ.",
      });
    });

    it("fail permissions for an unknown default issue type and name the available ones", async () => {
      expect(await provider({ config: { defaultIssueType: "Incident" } }).testPermissions()).toMatchObject({
        passed: false,
        errorCode: "NOT_FOUND",
        message:
          "The issue type “Incident” cannot be created in DEMO. Available: Epic, Task, Story, Bug. Change the default issue type.",
      });
      // By id works as well as by name.
      expect((await provider({ config: { defaultIssueType: "10003" } }).testPermissions()).passed).toBe(true);
    });

    it("pass permissions but point out required fields TicketBridge does not fill", async () => {
      const check = await provider({
        config: { projectKey: "OPS", defaultIssueType: "bug" },
      }).testPermissions();
      expect(check.passed).toBe(true);
      expect(check.message).toBe(
        "This account can create Bug issues in OPS. Note: Bug issues there also require Environment (customfield_10050); map a value for it, or Jira will reject new issues.",
      );
    });
  });

  describe("metadata", () => {
    it("lists projects, and issue types with their create fields", async () => {
      const jira = provider();
      expect(await jira.listProjects()).toEqual([
        { id: "10000", key: "DEMO", name: "Demo" },
        { id: "10001", key: "OPS", name: "Operations" },
        { id: "10002", key: "READ", name: "Read only" },
      ]);
      const types = await jira.listIssueTypes("OPS");
      expect(types.map((type) => type.name)).toEqual(["Epic", "Task", "Story", "Bug"]);
      const bug = types.find((type) => type.name === "Bug");
      expect(bug).toMatchObject({ id: "10003", subtask: false });
      expect(bug?.fields?.find((field) => field.id === ENVIRONMENT_FIELD_ID)).toEqual({
        id: ENVIRONMENT_FIELD_ID,
        name: "Environment",
        required: true,
        type: "option",
        allowedValues: [
          { id: "10100", name: "Production" },
          { id: "10101", name: "Staging" },
          { id: "10102", name: "Development" },
        ],
        hasDefaultValue: false,
      });
      expect(bug?.fields?.find((field) => field.id === "priority")).toMatchObject({
        required: false,
        hasDefaultValue: true,
      });
    });
  });

  describe("issues", () => {
    it("creates an issue with the marker label and property, and returns key, URL and Jira's response", async () => {
      const input = ticket({ priority: "High", labels: ["from support", "vip"], issueType: "10003" });
      const created = await provider().createIssue(input);
      expect(created).toEqual({
        id: "10001",
        key: "DEMO-1",
        url: `${sandbox.url}/${cloud ? "site" : "dc"}/acme-demo/browse/DEMO-1`,
        response: {
          id: "10001",
          key: "DEMO-1",
          self: expect.stringMatching(new RegExp(`/rest/api/${cloud ? 3 : 2}/issue/10001$`)),
        },
      });
      const [stored] = await sandboxIssues(sandbox, "DEMO");
      expect(stored).toMatchObject({
        summary: input.title,
        issueTypeId: "10003",
        priorityId: "2",
        labels: ["from-support", "vip", `tb-ref-${input.marker}`],
        properties: { ticketbridge: { marker: input.marker } },
      });
      if (cloud) {
        // Markdown became ADF; the HTML arrived as literal text.
        expect(stored.description.content).toEqual([
          {
            type: "paragraph",
            content: [
              { type: "text", text: "The printer is " },
              { type: "text", text: "on fire", marks: [{ type: "strong" }] },
              { type: "text", text: "." },
            ],
          },
          {
            type: "bulletList",
            content: [
              {
                type: "listItem",
                content: [{ type: "paragraph", content: [{ type: "text", text: "smoke" }] }],
              },
              {
                type: "listItem",
                content: [
                  { type: "paragraph", content: [{ type: "text", text: "<script>alert(1)</script>" }] },
                ],
              },
            ],
          },
        ]);
      } else {
        // REST v2 takes wiki markup; the HTML is literal there too.
        expect(stored.descriptionText).toBe(
          "The printer is *on fire*.\n\n* smoke\n* <script>alert(1)</script>",
        );
      }
    });

    it("rejects an issue missing a required field, with Jira's field errors", async () => {
      const error = await expectRejection(
        provider({ config: { projectKey: "OPS" } }).createIssue(ticket({ issueType: "Bug" })),
      );
      expect(error.code).toBe("REJECTED");
      expect(error.details).toMatchObject({
        status: 400,
        fieldErrors: { [ENVIRONMENT_FIELD_ID]: "Environment is required." },
      });
      expect(error.message).toBe(
        "Jira rejected the request (HTTP 400): customfield_10050: Environment is required",
      );

      const withField = await provider({ config: { projectKey: "OPS" } }).createIssue(
        ticket({ issueType: "Bug", fields: { [ENVIRONMENT_FIELD_ID]: { value: "Production" } } }),
      );
      expect(withField.key).toBe("OPS-1");
    });

    it("creates in bulk, in chunks of 50, mapping each failure to its ticket", async () => {
      const tickets = Array.from({ length: 53 }, (_, index) =>
        index % 25 === 1 ? ticket({ issueType: "Bug", fields: { project: { key: "OPS" } } }) : ticket(),
      );
      const results = await provider().createIssues(tickets);
      expect(results).toHaveLength(53);
      const failed = results.flatMap((result, index) => (result.ok ? [] : [index]));
      expect(failed).toEqual([1, 26, 51]);
      for (const index of failed) {
        const result = results[index];
        expect(result?.ok === false && result.error.details.fieldErrors).toEqual({
          [ENVIRONMENT_FIELD_ID]: "Environment is required.",
        });
      }
      const keys = results.flatMap((result) => (result.ok ? [result.issue.key] : []));
      expect(keys).toEqual(Array.from({ length: 50 }, (_, index) => `DEMO-${index + 1}`));
      const stored = await sandboxIssues(sandbox, "DEMO");
      expect(stored.find((issue) => issue.key === "DEMO-3")?.labels).toEqual([
        `tb-ref-${tickets[3]?.marker}`,
      ]);
    });

    it("finds an issue by its marker, and null for an unknown marker", async () => {
      const jira = provider();
      const input = ticket();
      const created = await jira.createIssue(input);
      await jira.createIssue(ticket());
      const found = await jira.findByMarker(input.marker);
      expect(found).toMatchObject({ id: created.id, key: created.key, url: created.url });
      expect(await jira.findByMarker("never-used")).toBeNull();
    });

    it("reads, transitions and comments on an issue", async () => {
      const jira = provider();
      const { key } = await jira.createIssue(ticket());
      expect(await jira.getIssue(key)).toMatchObject({
        id: "10001",
        key,
        status: "To Do",
        statusCategory: "new",
        assignee: null,
        raw: { key },
      });
      await jira.transition(key, "in progress");
      expect((await jira.getIssue(key)).status).toBe("In Progress");
      await jira.transition(key, "In Progress"); // already there: nothing to do

      const error = await expectRejection(jira.transition(key, "Closed"));
      expect(error.code).toBe("REJECTED");
      expect(error.message).toBe(
        `Jira has no transition from “In Progress” to “Closed” for ${key}. Available: To Do, Done.`,
      );

      const publicComment = await jira.addComment(key, "Fixed in **1.2**");
      const internal = await jira.addComment(key, "Root cause: <b>cache</b>", { internal: true });
      expect(publicComment.id).toBe("10000");
      expect(internal.raw).toMatchObject({ visibility: { type: "role", value: "Administrators" } });
      const [stored] = await sandboxIssues(sandbox, "DEMO");
      expect(stored.comments.map((comment: { visibility: unknown }) => comment.visibility)).toEqual([
        null,
        { type: "role", value: "Administrators" },
      ]);
      const bodyText = JSON.stringify(stored.comments[1].body);
      expect(bodyText).toContain("Root cause: <b>cache</b>");
      await expect(jira.addComment(key, "  ")).rejects.toMatchObject({ code: "REJECTED" });
      await expect(jira.getIssue("DEMO-999")).rejects.toMatchObject({ code: "NOT_FOUND" });
    });
  });

  describe("faults", () => {
    it("reports a timeout as Unavailable", async () => {
      await sandboxAdmin(sandbox, "/faults", { timeout: { count: 1, hangMs: 5000 } });
      const error = await expectRejection(provider({ timeoutMs: 300 }).getIssue("READ-1"));
      expect(error.code).toBe("UNAVAILABLE");
      expect(error.message).toMatch(/did not answer within 0\.3 s/);
      const check = await provider({ timeoutMs: 300 }).testAuthentication();
      expect(check.passed).toBe(true); // the fault was used up
    });

    it("reports 429 as RateLimited with Retry-After, and 5xx as Unavailable", async () => {
      await sandboxAdmin(sandbox, "/faults", { rateLimit: { count: 1, retryAfterSeconds: 7 } });
      const limited = await expectRejection(provider().createIssue(ticket()));
      expect(limited.code).toBe("RATE_LIMITED");
      expect(limited.details.retryAfterSeconds).toBe(7);
      expect(limited.message).toContain("try again in 7 s");

      await sandboxAdmin(sandbox, "/faults", { serverError: { count: 1, status: 503 } });
      const down = await expectRejection(provider().createIssue(ticket()));
      expect(down).toMatchObject({ code: "UNAVAILABLE", details: { status: 503 } });

      await sandboxAdmin(sandbox, "/faults", { rateLimit: { count: 1, retryAfterSeconds: 3 } });
      const check = await provider().testProjectAccess();
      expect(check).toMatchObject({ passed: false, errorCode: "RATE_LIMITED" });
    });

    it("fails every remaining bulk element with a rate limit that hits a chunk", async () => {
      await sandboxAdmin(sandbox, "/faults", {
        rateLimit: { count: 1, retryAfterSeconds: 2 },
        paths: ["/rest/api"],
      });
      const results = await provider().createIssues([ticket(), ticket()]);
      expect(results.map((result) => (result.ok ? "ok" : result.error.code))).toEqual([
        "RATE_LIMITED",
        "RATE_LIMITED",
      ]);
    });
  });
});

describe.each([
  [
    "cloud_api_token",
    "/dc/acme-demo",
    "is Jira Data Center 9.12.2, not Jira Cloud. Connect it with “Jira Server / Data Center — personal access token” instead.",
  ],
  [
    "server_pat",
    "/site/acme-demo",
    "is Jira Cloud. Personal access tokens exist only on Jira Server and Data Center",
  ],
] as const)("a %s connection to the other kind of Jira", (mode, path, message) => {
  it("fails the connection check and names the right mode", async () => {
    await sandboxAdmin(sandbox, "/reset");
    const check = await jiraProvider
      .create(jiraContext(mode, sandbox, { target: `${sandbox.url}${path}` }))
      .testConnection();
    expect(check).toMatchObject({ passed: false, errorCode: "REJECTED" });
    expect(check.message).toContain(message);
  });
});

describe("OAuth token handling", () => {
  beforeEach(async () => {
    await sandboxAdmin(sandbox, "/reset");
  });

  it("refreshes an expired access token exactly once and retries", async () => {
    const tokens = await MemoryTokenSource.connect(sandbox.url);
    const jira = jiraProvider.create(jiraContext("cloud_oauth", sandbox, { tokens }));
    const first = await tokens.getAccessToken();
    await sandboxAdmin(sandbox, "/tokens/expire");
    expect((await jira.testAuthentication()).passed).toBe(true);
    expect(tokens.refreshes).toEqual([first]);
    // The new token is used from now on: no more refreshes.
    expect((await jira.createIssue(ticket())).key).toBe("DEMO-1");
    expect(tokens.refreshes).toHaveLength(1);
  });

  it("reports a revoked grant as InvalidCredentials with grantRevoked", async () => {
    const tokens = await MemoryTokenSource.connect(sandbox.url);
    const jira = jiraProvider.create(jiraContext("cloud_oauth", sandbox, { tokens }));
    await sandboxAdmin(sandbox, "/grants/revoke", {});
    const error = await expectRejection(jira.createIssue(ticket()));
    expect(error.code).toBe("INVALID_CREDENTIALS");
    expect(error.details.grantRevoked).toBe(true);
    expect(error.message).toContain("Reconnect your Atlassian account");
    expect(tokens.refreshes).toHaveLength(1);
  });

  it("needs a token source", async () => {
    const jira = jiraProvider.create(jiraContext("cloud_oauth", sandbox));
    expect(await jira.testConnection()).toMatchObject({ passed: false, errorCode: "INVALID_CREDENTIALS" });
  });
});
