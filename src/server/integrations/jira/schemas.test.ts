import { describe, expect, it } from "vitest";

import { configurationJsonSchema, publicCredentialSchema } from "../schema";
import { JIRA_MODES, parseJiraSettings } from "./schemas";

describe("Jira connection modes", () => {
  it("declares three modes with form text and secret fields marked", () => {
    expect(JIRA_MODES.map((mode) => [mode.id, mode.usesUserOAuthGrant])).toEqual([
      ["cloud_api_token", false],
      ["cloud_oauth", true],
      ["server_pat", false],
    ]);
    const apiToken = configurationJsonSchema(JIRA_MODES[0]);
    expect(apiToken.secretFields).toEqual(["apiToken"]);
    expect(apiToken.config.properties).toMatchObject({
      baseUrl: { title: "Jira URL", examples: ["https://your-team.atlassian.net"] },
      projectKey: { title: "Project key" },
      defaultIssueType: { title: "Default issue type" },
    });
    expect(apiToken.credentials.properties).toMatchObject({
      apiToken: { title: "API token", writeOnly: true },
    });
    expect(Object.keys(publicCredentialSchema(JIRA_MODES[0]).shape)).toEqual(["email"]);
    expect(configurationJsonSchema(JIRA_MODES[2]).secretFields).toEqual(["personalAccessToken"]);
    expect(configurationJsonSchema(JIRA_MODES[1]).secretFields).toEqual([]);
  });

  it("parses valid settings and trims tokens", () => {
    const parsed = parseJiraSettings(
      "server_pat",
      {
        baseUrl: "https://jira.example.com/jira",
        deployment: "DATA_CENTER",
        projectKey: "OPS",
        defaultIssueType: "Bug",
      },
      { personalAccessToken: "  abc  " },
    );
    expect(parsed).toEqual({
      ok: true,
      settings: {
        mode: "server_pat",
        config: {
          baseUrl: "https://jira.example.com/jira",
          deployment: "DATA_CENTER",
          projectKey: "OPS",
          defaultIssueType: "Bug",
        },
        credentials: { personalAccessToken: "abc" },
      },
    });
  });

  it("explains bad project keys, URLs and missing fields", () => {
    const parsed = parseJiraSettings(
      "cloud_api_token",
      { baseUrl: "ftp://x", projectKey: "ops", defaultIssueType: "" },
      { email: "nope", apiToken: "" },
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.fieldErrors).toEqual({
      baseUrl: expect.stringContaining("https://"),
      projectKey: expect.stringContaining("capital letters"),
      defaultIssueType: expect.stringContaining("issue type"),
      email: expect.stringContaining("email address"),
      apiToken: "Paste an API token.",
    });
    expect(parseJiraSettings("cloud_oauth", { cloudId: "x" }, {})).toMatchObject({
      ok: false,
      fieldErrors: {
        cloudId: expect.any(String),
        siteUrl: expect.any(String),
        projectKey: expect.any(String),
      },
    });
    expect(parseJiraSettings("carrier_pigeon", {}, {})).toMatchObject({
      ok: false,
      fieldErrors: { mode: expect.any(String) },
    });
    for (const key of ["A", "TOOLONGKEY1", "1AB", "AB-1"]) {
      expect(JIRA_MODES[0].configSchema.shape.projectKey.safeParse(key).success).toBe(false);
    }
    for (const key of ["AB", "OPS", "A_1", "ABCDEFGHIJ"]) {
      expect(JIRA_MODES[0].configSchema.shape.projectKey.safeParse(key).success).toBe(true);
    }
  });
});
