import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { DEMO_ISSUE_TYPES } from "./fixtures";
import { startSandbox, type SandboxHandle } from "./server";
import { basicAuth, call } from "./test-helpers";

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

const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201ffa65e0c0000000049454e44ae426082",
  "hex",
);

async function newIssue(): Promise<{ id: string; key: string }> {
  const created = await call(sandbox.url, "/rest/api/3/issue", {
    body: {
      fields: { project: { key: "DEMO" }, issuetype: { id: DEMO_ISSUE_TYPES.task.id }, summary: "Screen" },
    },
  });
  expect(created.status).toBe(201);
  return created.body;
}

function upload(
  issue: string,
  files: { name: string; type: string; data: Buffer; field?: string }[],
  headers: Record<string, string> = { "X-Atlassian-Token": "no-check" },
) {
  const form = new FormData();
  for (const file of files)
    form.append(file.field ?? "file", new Blob([new Uint8Array(file.data)], { type: file.type }), file.name);
  return fetch(`${sandbox.url}/rest/api/3/issue/${issue}/attachments`, {
    method: "POST",
    headers: { Authorization: basicAuth(), Accept: "application/json", ...headers },
    body: form,
  });
}

describe("attachments", () => {
  it("stores an upload, answers Jira's attachment array, lists it on the issue and serves its bytes", async () => {
    const issue = await newIssue();
    const response = await upload(issue.key, [{ name: "screen.png", type: "image/png", data: PNG }]);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>[];
    expect(body).toHaveLength(1);
    expect(body[0]).toMatchObject({
      filename: "screen.png",
      mimeType: "image/png",
      size: PNG.length,
      author: { displayName: "Ada Lovelace" },
    });
    const id = body[0]!.id as string;
    expect(body[0]!.content).toBe(`${sandbox.url}/rest/api/3/attachment/content/${id}`);

    const read = await call(sandbox.url, `/rest/api/3/issue/${issue.key}?fields=attachment`);
    expect(read.body.fields.attachment).toEqual(body);

    const content = await fetch(`${sandbox.url}/rest/api/3/attachment/content/${id}`, {
      headers: { Authorization: basicAuth() },
    });
    expect(content.status).toBe(200);
    expect(content.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await content.arrayBuffer()).equals(PNG)).toBe(true);

    const page = await (await fetch(`${sandbox.url}/browse/${issue.key}`)).text();
    expect(page).toContain("screen.png");
    expect(page).toContain(`/rest/api/3/attachment/content/${id}`);
    expect(sandbox.violations()).toEqual([]);
  });

  it("refuses an upload without X-Atlassian-Token with 403, like Jira's XSRF check", async () => {
    const issue = await newIssue();
    const response = await upload(issue.key, [{ name: "a.png", type: "image/png", data: PNG }], {});
    expect(response.status).toBe(403);
    expect(await response.text()).toBe("XSRF check failed");
    const read = await call(sandbox.url, `/rest/api/3/issue/${issue.key}?fields=attachment`);
    expect(read.body.fields.attachment).toEqual([]);
  });

  it("answers 400 without a 'file' part, 404 for an unknown issue or attachment", async () => {
    const issue = await newIssue();
    expect(
      (await upload(issue.key, [{ name: "a.png", type: "image/png", data: PNG, field: "upload" }])).status,
    ).toBe(400);
    expect((await upload("DEMO-9999", [{ name: "a.png", type: "image/png", data: PNG }])).status).toBe(404);
    expect(
      (
        await fetch(`${sandbox.url}/rest/api/3/attachment/content/99999`, {
          headers: { Authorization: basicAuth() },
        })
      ).status,
    ).toBe(404);
  });

  it("reports a JSON body sent to the attachment endpoint as a contract violation", async () => {
    const issue = await newIssue();
    const response = await call(sandbox.url, `/rest/api/3/issue/${issue.key}/attachments`, {
      body: [{ name: "file" }],
      headers: { "X-Atlassian-Token": "no-check" },
    });
    expect(response.status).toBe(400);
    expect(sandbox.violations().map((violation) => violation.operationId)).toEqual(["addAttachment"]);
  });

  it("with dropResponseAfterCreate, stores the file and then drops the connection", async () => {
    const issue = await newIssue();
    await call(sandbox.url, "/__sandbox/faults", {
      auth: null,
      body: { dropResponseAfterCreate: { count: 1 }, paths: ["/rest/api/3/issue/"] },
    });
    await expect(upload(issue.key, [{ name: "a.png", type: "image/png", data: PNG }])).rejects.toThrow();
    const read = await call(sandbox.url, `/rest/api/3/issue/${issue.key}?fields=attachment`);
    expect(read.body.fields.attachment).toHaveLength(1);
  });
});
