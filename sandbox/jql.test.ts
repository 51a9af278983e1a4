import { describe, expect, it } from "vitest";
import { DEMO_USERS } from "./fixtures";
import { compileJql, JqlError, parseJql, parseJqlDate } from "./jira/jql";
import { SandboxState, type StoredIssue } from "./state";

const NOW = Date.UTC(2025, 0, 15, 12, 0);

function siteWithIssues() {
  const state = new SandboxState();
  const site = state.siteByName("acme-demo")!;
  const base: Omit<StoredIssue, "id" | "key" | "projectId" | "updated"> = {
    issueTypeId: "10001",
    statusId: "10000",
    summary: "",
    description: null,
    priorityId: "3",
    labels: [],
    assigneeId: null,
    reporterId: DEMO_USERS[0]!.accountId,
    creatorId: DEMO_USERS[0]!.accountId,
    created: NOW - 3_600_000,
    statusCategoryChanged: NOW,
    customFields: {},
    properties: new Map(),
    comments: [],
    changelog: [],
  };
  site.issues = [
    {
      ...base,
      id: "10001",
      key: "DEMO-1",
      projectId: "10000",
      summary: "Printer on fire",
      labels: ["hw"],
      updated: NOW - 60 * 60_000,
      properties: new Map([["tb", { requestId: "r1", tags: ["a", "b"] }]]),
    },
    {
      ...base,
      id: "10002",
      key: "DEMO-2",
      projectId: "10000",
      summary: "Mouse",
      labels: ["tb-ref-cm3x9k2ab0001"],
      updated: NOW - 2 * 60_000,
      assigneeId: DEMO_USERS[1]!.accountId,
    },
    {
      ...base,
      id: "10003",
      key: "OPS-1",
      projectId: "10001",
      summary: "Outage",
      statusId: "10001",
      updated: NOW - 10 * 60_000,
      properties: new Map([["tb", { requestId: "r3" }]]),
    },
  ];
  return site;
}

function keys(jql: string, accountId: string | null = DEMO_USERS[0]!.accountId): string[] {
  const site = siteWithIssues();
  const compiled = compileJql(parseJql(jql), { site, accountId, now: NOW });
  return compiled.sort(site.issues.filter((i) => compiled.matches(i))).map((i) => i.key);
}

describe("JQL subset", () => {
  it.each([
    ["project = DEMO", ["DEMO-2", "DEMO-1"]],
    ["project in (DEMO, OPS) ORDER BY key ASC", ["DEMO-1", "DEMO-2", "OPS-1"]],
    ['project = "Operations"', ["OPS-1"]],
    ["key in (DEMO-1, ops-1) ORDER BY updated DESC", ["OPS-1", "DEMO-1"]],
    ["issuekey = DEMO-2", ["DEMO-2"]],
    ['issue.property[tb].requestId = "r1"', ["DEMO-1"]],
    ["issue.property[tb].requestId in (r1, r3) order by key asc", ["DEMO-1", "OPS-1"]],
    ["issue.property[tb].tags = b", ["DEMO-1"]],
    ["issue.property[tb].requestId is EMPTY", ["DEMO-2"]],
    ["updated >= -5m", ["DEMO-2"]],
    ['updated >= "2025-01-15 11:30" ORDER BY updated ASC', ["OPS-1", "DEMO-2"]],
    ['updated < "2025/01/15 11:30"', ["DEMO-1"]],
    ["status = Done", ["OPS-1"]],
    ['status != "Done" AND project = DEMO ORDER BY created DESC', ["DEMO-2", "DEMO-1"]],
    ["labels = hw", ["DEMO-1"]],
    ["labels is EMPTY ORDER BY key", ["OPS-1"]],
    ['labels = "tb-ref-cm3x9k2ab0001" ORDER BY created ASC', ["DEMO-2"]],
    ['labels in ("tb-ref-cm3x9k2ab0001", hw) ORDER BY key', ["DEMO-1", "DEMO-2"]],
    ['labels not in ("tb-ref-cm3x9k2ab0001")', ["DEMO-1"]],
    ["assignee is not EMPTY", ["DEMO-2"]],
    ["reporter = currentUser() AND project = OPS", ["OPS-1"]],
    ['summary ~ "fire"', ["DEMO-1"]],
  ])("%s", (jql, expected) => {
    expect(keys(jql)).toEqual(expected);
  });

  it.each([
    ["project = DEMO OR project = OPS", "Error in the JQL Query: 'OR' is not supported"],
    ["(project = DEMO)", "Grouping"],
    ["NOT project = DEMO", "'NOT'"],
    ["project = NOPE", "The value 'NOPE' does not exist for the field 'project'."],
    ["key = DEMO-99", "An issue with key 'DEMO-99' does not exist for field 'key'."],
    ["foo = bar", "Field 'foo' does not exist"],
    ["project =", "Expecting either a value"],
    ['summary ~ "x', "has not been completed"],
    ["project = DEMO ORDER BY assignee", "Ordering by 'assignee'"],
    ["updated >= yesterday", "Date value 'yesterday'"],
    ["project ~ DEMO", "operator '~' is not supported"],
    ["assignee was ada", "'WAS'"],
  ])("rejects %s", (jql, message) => {
    expect(() => keys(jql)).toThrow(JqlError);
    expect(() => keys(jql)).toThrow(message);
  });

  it("parses relative and absolute dates", () => {
    expect(parseJqlDate({ kind: "literal", text: "-5m" }, NOW)).toBe(NOW - 5 * 60_000);
    expect(parseJqlDate({ kind: "literal", text: "2d" }, NOW)).toBe(NOW + 2 * 86_400_000);
    expect(parseJqlDate({ kind: "literal", text: "2025-01-15" }, NOW)).toBe(Date.UTC(2025, 0, 15));
  });
});
