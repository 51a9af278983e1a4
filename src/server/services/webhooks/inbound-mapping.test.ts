import { describe, expect, it } from "vitest";

import { ticketKindFor, ticketPriorityFor, ticketStatusFor, ticketTitleFor } from "./inbound-mapping";

describe("Jira status → ticket status", () => {
  it("follows the status category", () => {
    expect(ticketStatusFor({ name: "To Do", categoryKey: "new" })).toBe("OPEN");
    expect(ticketStatusFor({ name: "Backlog", categoryKey: "new" })).toBe("OPEN");
    expect(ticketStatusFor({ name: "In Review", categoryKey: "indeterminate" })).toBe("IN_PROGRESS");
  });

  it("calls a done status CLOSED when it is named done or closed, RESOLVED otherwise", () => {
    expect(ticketStatusFor({ name: "Done", categoryKey: "done" })).toBe("CLOSED");
    expect(ticketStatusFor({ name: "Closed", categoryKey: "done" })).toBe("CLOSED");
    expect(ticketStatusFor({ name: "Resolved", categoryKey: "done" })).toBe("RESOLVED");
    expect(ticketStatusFor({ name: "Won't Fix", categoryKey: "done" })).toBe("RESOLVED");
  });

  it("guesses from the name when the category is unknown", () => {
    expect(ticketStatusFor({ name: "In Progress" })).toBe("IN_PROGRESS");
    expect(ticketStatusFor({ name: "Resolved", categoryKey: null })).toBe("RESOLVED");
    expect(ticketStatusFor({ name: "Done" })).toBe("CLOSED");
    expect(ticketStatusFor({ name: "Open" })).toBe("OPEN");
  });
});

describe("Jira priority → ticket priority", () => {
  it("maps Jira's default names", () => {
    expect(
      ["Lowest", "Low", "Medium", "High", "Highest", "Critical", "Blocker"].map((name) =>
        ticketPriorityFor(name),
      ),
    ).toEqual(["low", "low", "medium", "high", "critical", "critical", "critical"]);
    expect(ticketPriorityFor("  high ")).toBe("high");
  });

  it("reads the integration's own mapping backwards first, and says when nothing matches", () => {
    expect(ticketPriorityFor("P1", { critical: "P1", high: "P2" })).toBe("critical");
    expect(ticketPriorityFor("p2", { critical: "P1", high: "P2" })).toBe("high");
    expect(ticketPriorityFor("Whenever")).toBeNull();
  });
});

describe("imported issues", () => {
  it("take their type and category from the issue type", () => {
    expect(ticketKindFor("Bug")).toEqual({ type: "BUG", category: "bug" });
    expect(ticketKindFor("Story")).toEqual({ type: "FEATURE", category: "feature_request" });
    expect(ticketKindFor("Task")).toEqual({ type: "SUPPORT", category: "general" });
    expect(ticketKindFor(undefined)).toEqual({ type: "SUPPORT", category: "general" });
  });

  it("take one line of the summary as title, within the limit", () => {
    expect(ticketTitleFor("  Two\nlines ")).toBe("Two lines");
    expect(ticketTitleFor("   ")).toBeNull();
    expect(ticketTitleFor("x".repeat(300))).toHaveLength(255);
  });
});
