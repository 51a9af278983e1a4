import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startSandbox, type SandboxHandle } from "./server";
import { call } from "./test-helpers";

describe("issue pages", () => {
  let sandbox: SandboxHandle;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterAll(() => sandbox.close());

  it("shows a created issue at the address the API gives it, with its text escaped", async () => {
    const created = await call(sandbox.url, "/site/acme-demo/rest/api/3/issue", {
      body: {
        fields: {
          project: { key: "DEMO" },
          issuetype: { name: "Task" },
          summary: "<b>Printer</b> on fire",
          description: {
            type: "doc",
            version: 1,
            content: [{ type: "paragraph", content: [{ type: "text", text: "<script>x</script>" }] }],
          },
        },
      },
    });
    expect(created.status).toBe(201);
    const response = await fetch(`${sandbox.url}/site/acme-demo/browse/${created.body.key as string}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("&lt;b&gt;Printer&lt;/b&gt; on fire");
    expect(html).toContain("&lt;script&gt;x&lt;/script&gt;");
    expect(html).not.toContain("<script>");
  });

  it("answers 404 for an issue that does not exist", async () => {
    expect((await fetch(`${sandbox.url}/site/acme-demo/browse/DEMO-99999`)).status).toBe(404);
  });
});
