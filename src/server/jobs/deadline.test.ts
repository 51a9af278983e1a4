import { afterEach, describe, expect, it, vi } from "vitest";

import { withinDeadline } from "./deadline";

describe("withinDeadline", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("answers with the work's result and leaves no timer behind", async () => {
    vi.useFakeTimers();
    const result = withinDeadline(Promise.resolve({ key: "DEMO-1" }), 8_000);
    await expect(result).resolves.toEqual({ key: "DEMO-1" });
    // A timer left running would hold the result for the full 8 s.
    expect(vi.getTimerCount()).toBe(0);
  });

  it("answers 'deadline' when the work takes longer, and the work goes on", async () => {
    vi.useFakeTimers();
    let finished = false;
    const work = new Promise<string>((resolve) => setTimeout(resolve, 5_000, "done")).then((value) => {
      finished = true;
      return value;
    });
    const result = withinDeadline(work, 1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(result).resolves.toBe("deadline");
    expect(finished).toBe(false);
    await vi.advanceTimersByTimeAsync(4_000);
    await expect(work).resolves.toBe("done");
  });

  it("passes the work's failure on and clears its timer", async () => {
    vi.useFakeTimers();
    await expect(withinDeadline(Promise.reject(new Error("Jira is down")), 8_000)).rejects.toThrow(
      "Jira is down",
    );
    expect(vi.getTimerCount()).toBe(0);
  });
});
