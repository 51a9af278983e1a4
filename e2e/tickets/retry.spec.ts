import { query } from "../support/database";
import { signInWithAtlassian } from "../support/sign-in";
import { expect, test } from "../support/test";
import { connectActiveJira, fileTicket, sandbox, storedTicket } from "./tickets";

test.beforeEach(async ({ page }) => {
  await signInWithAtlassian(page, { name: "Ada Lovelace", site: "acme-demo" });
});

test.afterEach(async () => {
  await sandbox.clearFaults();
});

test("a failing Jira: the failure in plain words with Retry; after the fault clears, Retry shows the key", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const integration = await connectActiveJira(page, "Failing Jira");
  const title = `Refund stuck ${Date.now()}`;

  // Jira answers 503 to every request, however often the app retries.
  await sandbox.setFaults({ serverError: { count: 1000, status: 503 } });
  const panel = await fileTicket(page, { title, category: "Technical", priority: "Critical", integration });

  // The ticket exists at once; the external side says what went wrong and offers Retry.
  await expect(panel.getByTestId("ticket-number")).toHaveText(/^#\d+$/);
  const outcome = panel.getByTestId("external-outcome");
  await expect(outcome).toContainText(`Not created in ${integration}`, { timeout: 20_000 });
  await expect(outcome).toContainText(/HTTP 503/);
  const retry = outcome.getByRole("button", { name: "Retry" });
  await expect(retry).toBeVisible();
  const before = await storedTicket(title);
  expect(before.ticket).toBeDefined();
  expect(before.externalIssues).toHaveLength(1);
  expect(before.externalIssues[0]!.syncState).not.toBe("CREATED");
  expect(before.externalIssues[0]!.lastError).toBeTruthy();
  expect(await sandbox.issuesWithSummary(title)).toHaveLength(0);

  // The fault clears; Retry creates the issue and the key appears in place of the error. (The
  // outbox also retries by itself after a short backoff; if that attempt wins the race, the page
  // shows the key on its own and Retry is gone before it can be clicked.)
  await sandbox.clearFaults();
  const retryResponse = page
    .waitForResponse((response) => response.url().includes("ticket.retryExternal"), { timeout: 10_000 })
    .then((response) => response.text())
    .catch(() => "");
  const clicked = await retry.click({ timeout: 5_000 }).then(
    () => true,
    () => false,
  );
  // "Already created" (CONFLICT) also means the background attempt got there first.
  const retried = clicked && !(await retryResponse).includes("CONFLICT");
  if (!retried)
    test.info().annotations.push({ type: "note", description: "the background retry won the race" });
  const keyLink = outcome.getByTestId("external-key");
  await expect(keyLink).toHaveText(/DEMO-\d+/, { timeout: 20_000 });
  await expect(outcome).not.toContainText("Not created");
  await expect(outcome.getByRole("button", { name: "Retry" })).toHaveCount(0);

  const key = ((await keyLink.textContent()) ?? "").match(/DEMO-\d+/)![0];
  const after = await storedTicket(title);
  expect(after.externalIssues).toEqual([
    expect.objectContaining({ syncState: "CREATED", externalKey: key, lastError: null }),
  ]);
  // Exactly one Jira issue, however many attempts there were.
  expect(await sandbox.issuesWithSummary(title)).toHaveLength(1);
  if (retried) {
    const retries = await query(
      `SELECT 1 FROM "AuditEvent" WHERE action = 'external_issue.retry_requested' AND "entityId" = $1`,
      [after.externalIssues[0]!.id],
    );
    expect(retries).toHaveLength(1);
  }

  // The detail page agrees.
  await panel.getByTestId("ticket-number").click();
  const link = page.getByTestId("external-issue");
  await expect(link.getByTestId("sync-state")).toHaveText(/Created/);
  await expect(link.getByTestId("external-key")).toHaveText(new RegExp(key));
});
