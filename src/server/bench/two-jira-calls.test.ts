import { describe, expect, it } from "vitest";

import { floorApiBase } from "./two-jira-calls";

describe("the benchmark floors' Jira address", () => {
  const atlassian = "http://localhost:4010";

  it("is the site's REST API on the configured Atlassian address", () => {
    expect(floorApiBase("/site/acme-demo", atlassian)?.toString()).toBe(
      "http://localhost:4010/site/acme-demo/rest/api/3/",
    );
  });

  it("refuses a site on any other address, and anything but a path", () => {
    expect(floorApiBase("http://169.254.169.254/latest", atlassian)).toBeNull();
    expect(floorApiBase("//evil.example/site", atlassian)).toBeNull();
    expect(floorApiBase(42, atlassian)).toBeNull();
  });
});
