import { describe, expect, it } from "vitest";

import { TICKET_CATEGORIES } from "~/lib/domain";
import { Rejected, type ExternalIssueType } from "~/server/integrations/types";
import { integrationSettingsSchema } from "~/server/services/integrations/integrations.schema";

import { checkAgainstCreateMeta, DEFAULT_ISSUE_TYPES, mapTicket } from "./mapping";

const defaults = integrationSettingsSchema.parse({});
const ticket = {
  title: "Login fails",
  description: "Steps…",
  category: "technical" as const,
  priority: "critical" as const,
};

const issueTypes: ExternalIssueType[] = [
  {
    id: "10001",
    name: "Task",
    subtask: false,
    fields: [{ id: "summary", name: "Summary", required: true, type: "string" }],
  },
  {
    id: "10003",
    name: "Bug",
    subtask: false,
    fields: [
      { id: "summary", name: "Summary", required: true, type: "string" },
      {
        id: "priority",
        name: "Priority",
        required: false,
        type: "priority",
        allowedValues: [
          { id: "1", name: "Highest" },
          { id: "3", name: "Medium" },
        ],
      },
      { id: "customfield_10050", name: "Environment", required: true, type: "option" },
    ],
  },
  { id: "10002", name: "Story", subtask: false, fields: [] },
];

describe("ticket → Jira mapping", () => {
  it("maps categories and priorities with the documented defaults and labels", () => {
    expect(DEFAULT_ISSUE_TYPES).toEqual({
      technical: "Bug",
      billing: "Task",
      feature_request: "Story",
      bug: "Bug",
      general: "Task",
    });
    const mapped = mapTicket(ticket, defaults, "marker-1");
    expect(mapped).toMatchObject({
      marker: "marker-1",
      issueType: "Bug",
      priority: "Highest",
      labels: ["source:ticketbridge", "category:technical"],
    });
    for (const category of TICKET_CATEGORIES)
      expect(mapTicket({ ...ticket, category }, defaults, "m").labels).toContain(`category:${category}`);
  });

  it("lets the integration override the mapping", () => {
    const settings = integrationSettingsSchema.parse({
      categoryToIssueType: { technical: "Task" },
      priorityMapping: { critical: "High" },
    });
    expect(mapTicket(ticket, settings, "m")).toMatchObject({ issueType: "Task", priority: "High" });
  });

  it("reports an issue type the project lacks, naming it and the ones it has", () => {
    const mapped = mapTicket(
      { ...ticket, category: "bug" },
      integrationSettingsSchema.parse({ categoryToIssueType: { bug: "Defect" } }),
      "m",
    );
    const error = (() => {
      try {
        checkAgainstCreateMeta(mapped, "DEMO", issueTypes);
      } catch (caught) {
        return caught as Rejected;
      }
    })();
    expect(error).toBeInstanceOf(Rejected);
    expect(error?.message).toMatch(/no issue type "Defect".*Task, Bug, Story/);
    expect(error?.details.fieldErrors).toHaveProperty("issuetype");
  });

  it("reports a required field with no value, naming the field", () => {
    expect(() => checkAgainstCreateMeta(mapTicket(ticket, defaults, "m"), "OPS", issueTypes)).toThrowError(
      /"Environment" \(customfield_10050\)/,
    );
  });

  it("drops a priority the project does not offer instead of failing", () => {
    const story = checkAgainstCreateMeta(
      mapTicket({ ...ticket, category: "feature_request" }, defaults, "m"),
      "DEMO",
      issueTypes,
    );
    expect(story).toMatchObject({ issueType: "Story", priority: "Highest" });
    const lowBug = {
      ...mapTicket({ ...ticket, priority: "low" }, defaults, "m"),
      fields: { customfield_10050: { value: "Prod" } },
    };
    expect(checkAgainstCreateMeta(lowBug, "DEMO", issueTypes).priority).toBeUndefined();
  });
});
