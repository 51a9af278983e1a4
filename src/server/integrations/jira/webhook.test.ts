import { createHmac } from "node:crypto";

import { describe, expect, it } from "vitest";

import { flattenAdf, InvalidWebhookPayload, parseJiraWebhook, verifyHubSignature } from "./webhook";

const SECRET = "a-shared-secret";
const BODY = JSON.stringify({ webhookEvent: "jira:issue_updated", timestamp: 1 });
const hex = (body: string, secret = SECRET) => createHmac("sha256", secret).update(body).digest("hex");

describe("verifyHubSignature", () => {
  it("accepts the HMAC-SHA256 of the raw body with the sha256= prefix", () => {
    expect(verifyHubSignature(BODY, `sha256=${hex(BODY)}`, SECRET)).toBe(true);
    expect(verifyHubSignature(BODY, `sha256=${hex(BODY).toUpperCase()}`, SECRET)).toBe(true);
  });

  it("refuses a missing, unprefixed, malformed or wrong signature", () => {
    expect(verifyHubSignature(BODY, null, SECRET)).toBe(false);
    expect(verifyHubSignature(BODY, "", SECRET)).toBe(false);
    expect(verifyHubSignature(BODY, hex(BODY), SECRET)).toBe(false);
    expect(verifyHubSignature(BODY, `sha1=${hex(BODY)}`, SECRET)).toBe(false);
    expect(verifyHubSignature(BODY, `sha256=${hex(BODY).slice(0, 62)}`, SECRET)).toBe(false);
    expect(verifyHubSignature(BODY, `sha256=${"0".repeat(64)}`, SECRET)).toBe(false);
  });

  it("refuses another secret and a tampered body", () => {
    expect(verifyHubSignature(BODY, `sha256=${hex(BODY, "other-secret")}`, SECRET)).toBe(false);
    expect(verifyHubSignature(`${BODY} `, `sha256=${hex(BODY)}`, SECRET)).toBe(false);
    expect(verifyHubSignature(BODY, `sha256=${hex(BODY)}`, "")).toBe(false);
  });

  it("signs the UTF-8 bytes of the body", () => {
    const body = JSON.stringify({ summary: "Café ☕ ümlaut" });
    expect(verifyHubSignature(body, `sha256=${hex(body)}`, SECRET)).toBe(true);
  });
});

const issue = {
  id: "10042",
  key: "DEMO-42",
  self: "http://jira/rest/api/2/issue/10042",
  fields: {
    summary: "Checkout fails",
    description: "Plain v2 text",
    status: { name: "In Progress", id: "3", statusCategory: { key: "indeterminate", name: "In Progress" } },
    priority: { name: "High", id: "2" },
    assignee: { accountId: "acc-1", displayName: "Ada Lovelace" },
    issuetype: { name: "Bug" },
    project: { key: "DEMO" },
    labels: ["tb-ref-x"],
    customfield_10050: { value: "Production" },
  },
};

describe("parseJiraWebhook", () => {
  it("reads jira:issue_updated with its changelog and actor", () => {
    const event = parseJiraWebhook({
      timestamp: 1,
      webhookEvent: "jira:issue_updated",
      issue_event_type_name: "issue_generic",
      user: { accountId: "acc-2", displayName: "Grace" },
      issue,
      changelog: {
        id: "7",
        items: [
          {
            field: "status",
            fieldtype: "jira",
            fieldId: "status",
            from: "10000",
            fromString: "To Do",
            to: "3",
            toString: "In Progress",
          },
          { field: "assignee", from: null, fromString: null, to: "acc-1", toString: "Ada Lovelace" },
        ],
      },
    });
    expect(event).toEqual({
      kind: "issue_updated",
      actorAccountId: "acc-2",
      issue: {
        id: "10042",
        key: "DEMO-42",
        fields: {
          summary: "Checkout fails",
          description: "Plain v2 text",
          status: { name: "In Progress", statusCategory: { key: "indeterminate" } },
          priority: { name: "High" },
          assignee: { accountId: "acc-1", displayName: "Ada Lovelace" },
          issuetype: { name: "Bug" },
          project: { key: "DEMO" },
          labels: ["tb-ref-x"],
        },
      },
      changes: [
        { field: "status", from: "10000", to: "3", fromString: "To Do", toString: "In Progress" },
        { field: "assignee", from: null, to: "acc-1", fromString: null, toString: "Ada Lovelace" },
      ],
    });
  });

  it("reads a changelog item without toString as null, not Object.prototype.toString", () => {
    const event = parseJiraWebhook({
      webhookEvent: "jira:issue_updated",
      issue,
      changelog: { items: [{ field: "assignee", from: "acc-1" }] },
    });
    expect(event).toMatchObject({
      changes: [{ field: "assignee", from: "acc-1", to: null, fromString: null, toString: null }],
    });
  });

  it("reads an update without changelog as no changes, and numeric ids as strings", () => {
    const event = parseJiraWebhook({
      webhookEvent: "jira:issue_updated",
      issue: { id: 10042, key: "DEMO-42" },
    });
    expect(event).toEqual({
      kind: "issue_updated",
      issue: { id: "10042", key: "DEMO-42", fields: {} },
      changes: [],
      actorAccountId: null,
    });
  });

  it("reads jira:issue_created, flattening an ADF description", () => {
    const event = parseJiraWebhook({
      webhookEvent: "jira:issue_created",
      issue: { ...issue, fields: { ...issue.fields, description: adf("First line", "Second line") } },
    });
    expect(event).toMatchObject({
      kind: "issue_created",
      issue: { id: "10042", fields: { description: "First line\nSecond line" } },
    });
  });

  it("reads comment_created: plain body, author, public unless restricted", () => {
    const comment = {
      id: "10100",
      body: "Looking into it",
      author: { accountId: "acc-1", displayName: "Ada Lovelace" },
      created: "2025-01-01T00:00:00.000+0000",
      jsdPublic: true,
    };
    const payload = { webhookEvent: "comment_created", comment, issue: { id: "10042", key: "DEMO-42" } };
    expect(parseJiraWebhook(payload)).toEqual({
      kind: "comment_created",
      issueId: "10042",
      comment: {
        id: "10100",
        body: "Looking into it",
        authorAccountId: "acc-1",
        authorName: "Ada Lovelace",
        internal: false,
      },
    });
    const restricted = { ...comment, visibility: { type: "role", value: "Administrators" } };
    expect(parseJiraWebhook({ ...payload, comment: restricted })).toMatchObject({
      comment: { internal: true },
    });
    const hiddenFromCustomer = { ...comment, jsdPublic: false };
    expect(parseJiraWebhook({ ...payload, comment: hiddenFromCustomer })).toMatchObject({
      comment: { internal: true },
    });
  });

  it("accepts an ADF comment body and flattens it", () => {
    const event = parseJiraWebhook({
      webhookEvent: "comment_created",
      issue: { id: "1" },
      comment: { id: "2", body: adf("Hello", "world") },
    });
    expect(event).toMatchObject({
      comment: { body: "Hello\nworld", authorAccountId: null, authorName: null },
    });
  });

  it("reads an issue_commented update as the comment it carries", () => {
    const event = parseJiraWebhook({
      webhookEvent: "jira:issue_updated",
      issue_event_type_name: "issue_commented",
      issue,
      changelog: { id: "9", items: [] },
      comment: { id: "10101", body: "Via issue_updated", author: { accountId: "acc-1" } },
    });
    expect(event).toMatchObject({ kind: "comment_created", issueId: "10042", comment: { id: "10101" } });
  });

  it("names events it does not handle, and payloads that are not objects", () => {
    expect(parseJiraWebhook({ webhookEvent: "issue_property_set" })).toEqual({
      kind: "unhandled",
      event: "issue_property_set",
    });
    expect(parseJiraWebhook({})).toEqual({ kind: "unhandled", event: "unknown" });
    expect(parseJiraWebhook(null)).toEqual({ kind: "unhandled", event: "unknown" });
    expect(parseJiraWebhook([1, 2])).toEqual({ kind: "unhandled", event: "unknown" });
  });

  it("throws a readable error for a handled event of the wrong shape", () => {
    expect(() => parseJiraWebhook({ webhookEvent: "jira:issue_updated", issue: { key: "X-1" } })).toThrow(
      InvalidWebhookPayload,
    );
    expect(() => parseJiraWebhook({ webhookEvent: "comment_created", issue: { id: "1" } })).toThrow(
      /comment_created payload is not what Jira sends \(comment/,
    );
  });
});

describe("flattenAdf", () => {
  it("joins blocks by lines and keeps mentions, emoji and hard breaks", () => {
    expect(
      flattenAdf({
        type: "doc",
        version: 1,
        content: [
          {
            type: "paragraph",
            content: [
              { type: "mention", attrs: { id: "acc", text: "@Ada" } },
              { type: "text", text: " see " },
              { type: "emoji", attrs: { shortName: ":smile:", text: "😄" } },
              { type: "hardBreak" },
              { type: "text", text: "next", marks: [{ type: "strong" }] },
            ],
          },
          { type: "bulletList", content: [{ type: "listItem", content: [paragraph("item")] }] },
        ],
      }),
    ).toBe("@Ada see 😄\nnext\nitem");
    expect(flattenAdf(null)).toBe("");
    expect(flattenAdf("text")).toBe("");
  });
});

function paragraph(text: string) {
  return { type: "paragraph", content: [{ type: "text", text }] };
}

function adf(...lines: string[]) {
  return { type: "doc", version: 1, content: lines.map(paragraph) };
}
