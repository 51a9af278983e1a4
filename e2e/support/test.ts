import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

import { test as base, type Page, type TestInfo } from "@playwright/test";

export { expect } from "@playwright/test";

/**
 * How the page stood when a test failed: "draws" (script runs and frames are drawn), "stalled"
 * (script runs but no animation frame comes: the browser stopped drawing) or "unresponsive"
 * (script does not run).
 */
type PageHealth = "draws" | "stalled" | "unresponsive";

const PROBE_MS = 3_000;

async function within<T>(promise: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), ms)));
  try {
    return await Promise.race([promise.catch(() => "timeout" as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function pageHealth(page: Page): Promise<PageHealth> {
  if (page.isClosed()) return "unresponsive";
  const runsScript = page.evaluate(() => true);
  if ((await within(runsScript, PROBE_MS)) !== true) return "unresponsive";
  const drawsFrame = page.evaluate(
    () => new Promise<boolean>((resolve) => requestAnimationFrame(() => resolve(true))),
  );
  return (await within(drawsFrame, PROBE_MS)) === true ? "draws" : "stalled";
}

/** Where a failed attempt leaves word that the browser had stopped drawing, for its retry to read. */
function stallMarker(testInfo: TestInfo) {
  return path.join(testInfo.project.outputDir, ".browser-stalls", testInfo.testId);
}

/**
 * The suite's `test`. Headless Chromium has been seen to stop drawing frames in the middle of a
 * test: script still runs, but no animation frame ever comes, so every click waits for a
 * stability check that never ends. When a test fails, its page is probed and the finding printed.
 * A retry (CI allows one) runs only after such a stall; any other failure stands on its first run.
 */
export const test = base.extend<{ browserStallGuard: void }>({
  browserStallGuard: [
    async ({ page }, use, testInfo) => {
      if (testInfo.retry > 0 && !existsSync(stallMarker(testInfo))) {
        throw new Error(
          "No retry: the first attempt failed while the browser was still drawing; its error is the one that counts.",
        );
      }
      await use();
      if (testInfo.status === testInfo.expectedStatus) return;
      const health = await pageHealth(page);
      console.log(`[${testInfo.title}] the page after the failure: ${health}`);
      if (health === "stalled") {
        mkdirSync(path.dirname(stallMarker(testInfo)), { recursive: true });
        writeFileSync(stallMarker(testInfo), health);
      }
    },
    { auto: true },
  ],
});
