import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startSandbox, type SandboxHandle } from "../../../../sandbox/server";
import { jiraProvider } from "./provider";
import type { JiraModeId } from "./schemas";
import {
  closedPort,
  connectionCounter,
  htmlServer,
  jiraContext,
  MemoryTokenSource,
  type ContextOptions,
} from "./test-support";

/**
 * Where a connection points: hosts that refuse, servers that are not Jira, broken TLS, unknown
 * names, and private addresses the SSRF guard must refuse before any packet is sent.
 */

let sandbox: SandboxHandle;
let html: Awaited<ReturnType<typeof htmlServer>>;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, strict: true });
  html = await htmlServer();
});
afterAll(async () => {
  expect(sandbox.violations()).toEqual([]);
  await html.close();
  await sandbox.close();
});

const MODES: JiraModeId[] = ["cloud_api_token", "cloud_oauth", "server_pat"];

describe.each(MODES)("connection checks (%s)", (mode) => {
  const provider = async (options: ContextOptions) =>
    jiraProvider.create(
      jiraContext(mode, sandbox, {
        tokens: mode === "cloud_oauth" ? await MemoryTokenSource.connect(sandbox.url) : undefined,
        ...options,
      }),
    );

  it("fails for a host that refuses connections, naming host and cause", async () => {
    const port = await closedPort();
    const check = await (await provider({ target: `http://127.0.0.1:${port}` })).testConnection();
    expect(check).toMatchObject({ type: "connection", passed: false, errorCode: "UNAVAILABLE" });
    expect(check.message).toBe(
      `Could not connect to 127.0.0.1:${port}: the connection was refused. Check the address and port, and that Jira is running and reachable from TicketBridge.`,
    );
  });

  it("fails for a web server that is not Jira, saying what to enter instead", async () => {
    const check = await (await provider({ target: html.url })).testConnection();
    expect(check).toMatchObject({ passed: false, errorCode: "NOT_FOUND" });
    if (mode === "cloud_oauth") {
      // Atlassian's gateway is deployment config; an admin cannot point it elsewhere.
      expect(check.message).toMatch(
        /^Atlassian did not return Jira's server information for the site acme-demo .* \(an HTML page\)/,
      );
      return;
    }
    expect(check.message).toContain(`${html.url} answered with an HTML page, but it does not look like Jira`);
    expect(check.message).toContain(
      mode === "server_pat" ? "including its context path" : "https://your-team.atlassian.net",
    );
  });

  it("fails for a server that answers 404 everywhere", async () => {
    const check = await (await provider({ target: `${sandbox.url}/nothing-here` })).testConnection();
    expect(check.passed).toBe(false);
    expect(check.message).toMatch(
      mode === "cloud_oauth" ? /HTTP 404/ : /answered with HTTP 404, but it does not look like Jira/,
    );
  });

  it("fails when TLS cannot be established", async () => {
    const check = await (await provider({ target: `https://localhost:${html.port}` })).testConnection();
    expect(check).toMatchObject({ passed: false, errorCode: "UNAVAILABLE" });
    expect(check.message).toMatch(
      /^A secure connection to localhost:\d+ could not be established \(EPROTO|ERR_SSL/,
    );
  });

  it("fails when the host name does not resolve", async () => {
    const check = await (
      await provider({
        target: "http://jira.does-not-exist.invalid",
        allowedHosts: ["jira.does-not-exist.invalid"],
      })
    ).testConnection();
    expect(check).toMatchObject({ passed: false, errorCode: "UNAVAILABLE" });
    expect(check.message).toMatch(
      /^jira\.does-not-exist\.invalid could not be found \(DNS ENOTFOUND|EAI_AGAIN\)/,
    );
  });
});

describe.each(["cloud_api_token", "server_pat"] as const)("the SSRF guard (%s)", (mode) => {
  it.each([
    ["http://169.254.169.254", "Use an https:// address"],
    [
      "https://169.254.169.254/latest/meta-data",
      "169.254.169.254 points to 169.254.169.254, a private, loopback or link-local address",
    ],
    ["http://10.0.0.5", "Use an https:// address"],
    ["https://10.0.0.5", "10.0.0.5 points to 10.0.0.5"],
    ["https://[::1]:8443", "points to ::1"],
  ])("refuses %s before sending anything", async (target, message) => {
    const jira = jiraProvider.create(jiraContext(mode, sandbox, { target, allowedHosts: [] }));
    for (const check of [
      await jira.testConnection(),
      await jira.testAuthentication(),
      await jira.testPermissions(),
    ]) {
      expect(check).toMatchObject({ passed: false, errorCode: "UNSAFE_URL" });
      expect(check.message).toContain(message);
    }
    await expect(jira.listProjects()).rejects.toMatchObject({ code: "UNSAFE_URL" });
  });

  it("opens no connection at all to a refused address", async () => {
    const counter = await connectionCounter();
    try {
      const jira = jiraProvider.create(
        jiraContext(mode, sandbox, { target: `https://127.0.0.1:${counter.port}`, allowedHosts: [] }),
      );
      expect(await jira.testConnection()).toMatchObject({ passed: false, errorCode: "UNSAFE_URL" });
      await expect(
        jira.createIssue({ marker: "m1", title: "t", description: "", issueType: "Task" }),
      ).rejects.toMatchObject({
        code: "UNSAFE_URL",
      });
      expect(counter.connections()).toBe(0);
    } finally {
      await counter.close();
    }
  });
});

describe("cloud_oauth configuration", () => {
  it("only accepts a site id, so nothing but Atlassian's gateway is ever called", () => {
    expect(() =>
      jiraProvider.create(
        jiraContext("cloud_oauth", sandbox, { config: { cloudId: "../../169.254.169.254" } }),
      ),
    ).toThrow(/cloudId: Choose one of the Jira sites/);
  });
});
