import { ACME_SITE_URL } from "../integrations/wizard";
import { signInWithAtlassian } from "../support/sign-in";
import { expect, test } from "../support/test";
import { connectActiveJira, fileTicket, sandbox, storedTicket } from "./tickets";

test.beforeEach(async ({ page }) => {
  await signInWithAtlassian(page, { name: "Ada Lovelace", site: "acme-demo" });
});

test("files a ticket in a live Jira: the key links to the sandbox issue, the database links both, markup stays text", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const integration = await connectActiveJira(page);
  const stamp = Date.now();
  const title = `Checkout <script>window.__xss = "title"</script> <b>fails</b> ${stamp}`;
  const description = [
    "Steps:",
    '<script>window.__xss = "description"</script>',
    '<img src="x" onerror="window.__xss = \'img\'">',
    "**Expected**: the order goes through.",
  ].join("\n");

  // The form lists the active integration with its health and offers to create the issue there.
  const formPage = await page.goto("/tickets/new");
  expect(formPage?.headers()["content-encoding"]).toBeTruthy();
  await page.getByLabel("Category").selectOption({ label: "Bug" });
  const radio = page.getByRole("radio", { name: new RegExp(`^${integration}\\b`) });
  await expect(radio).toBeVisible();
  await expect(page.getByTestId("integration-health").first()).toBeVisible();
  await page.getByLabel("Description").fill("x".repeat(12));
  await expect(page.getByTestId("description-counter")).toHaveText(/^12 \/ 32,000 characters/);

  // Pages come compressed; the creation's answer, a few kilobytes, comes as it is.
  const creationAnswer = page.waitForResponse((response) =>
    response.url().includes("/api/trpc/ticket.create"),
  );
  const panel = await fileTicket(page, {
    title,
    description,
    category: "Bug",
    priority: "High",
    integration,
  });

  expect((await creationAnswer).headers()["content-encoding"]).toBeUndefined();

  // At once: the internal number and the Jira key, as a link to the issue in a new tab.
  const number = panel.getByTestId("ticket-number");
  await expect(number).toHaveText(/^#\d+$/);
  const keyLink = panel.getByTestId("external-key");
  await expect(keyLink).toHaveText(/DEMO-\d+/, { timeout: 20_000 });
  const key = ((await keyLink.textContent()) ?? "").match(/DEMO-\d+/)![0];
  await expect(keyLink).toHaveAttribute("href", `${ACME_SITE_URL}/browse/${key}`);
  await expect(keyLink).toHaveAttribute("target", "_blank");
  const [tab] = await Promise.all([page.waitForEvent("popup"), keyLink.click()]);
  expect(tab.url()).toBe(`${ACME_SITE_URL}/browse/${key}`);
  await tab.close();

  // The key is a real issue in the sandbox's Jira, holding the ticket's title; exactly one.
  const issue = await sandbox.getIssue(ACME_SITE_URL, key);
  expect(issue.status).toBe(200);
  expect(((await issue.json()) as { fields: { summary: string } }).fields.summary).toBe(title);
  expect(await sandbox.issuesWithSummary(title)).toHaveLength(1);

  // The database has the ticket and its external issue, CREATED with the key and the full response.
  const stored = await storedTicket(title);
  expect(stored.ticket).toMatchObject({ title, category: "bug", priority: "high" });
  expect(stored.ticket!.description).toBe(description);
  expect(stored.externalIssues).toEqual([
    expect.objectContaining({
      syncState: "CREATED",
      externalKey: key,
      url: `${ACME_SITE_URL}/browse/${key}`,
      hasResponse: true,
    }),
  ]);
  await expect(number).toHaveText(`#${stored.ticket!.number}`);

  // The detail page shows the markup as typed text: nothing is rendered or run.
  await number.click();
  await expect(page).toHaveURL(new RegExp(`/tickets/${stored.ticket!.id}$`));
  await expect(page.getByTestId("ticket-title")).toContainText(title);
  await expect(page.getByTestId("ticket-description")).toHaveText(description);
  await expect(page.locator("main script, main img, main b")).toHaveCount(0);
  expect(await page.evaluate(() => (window as { __xss?: string }).__xss)).toBeUndefined();

  // Its external link with the key, the state and the stored response.
  const link = page.getByTestId("external-issue");
  await expect(link.getByTestId("sync-state")).toHaveText(/Created/);
  await expect(link.getByTestId("external-key")).toHaveText(new RegExp(key));
  await link.getByText(`Stored response from ${integration}`).click();
  await expect(link.locator("pre")).toContainText(`"key": "${key}"`);

  // The list shows it with its key and sync state.
  await page.goto(`/tickets?search=${key}`);
  const row = page.getByTestId("ticket-row");
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("external-key")).toHaveText(new RegExp(key));
  await expect(row.getByTestId("sync-state")).toHaveText(/Created/);

  // The dashboard lists it among the latest tickets, with its key, under what needs attention.
  await page.goto("/dashboard");
  const latest = page.getByTestId("latest-ticket").filter({ hasText: `#${stored.ticket!.number}` });
  await expect(latest.getByTestId("external-key")).toHaveAttribute("href", `${ACME_SITE_URL}/browse/${key}`);
  await expect(latest.getByTestId("sync-state")).toHaveText(/Created/);
  await expect(page.getByTestId("needs-attention")).toBeVisible();
});

test("without an integration the ticket is kept internal", async ({ page }) => {
  const title = `Internal note ${Date.now()}`;
  const panel = await fileTicket(page, { title, category: "General", priority: "Low" });
  await expect(panel.getByTestId("ticket-number")).toHaveText(/^#\d+$/);
  await expect(panel.getByTestId("kept-internal")).toBeVisible();
  const stored = await storedTicket(title);
  expect(stored.ticket).toMatchObject({ title, category: "general", priority: "low" });
  expect(stored.externalIssues).toEqual([]);
});

test("a blank title is refused next to the field and nothing typed is lost", async ({ page }) => {
  await page.goto("/tickets/new");
  await page.getByLabel("Title").fill("   ");
  await page.getByLabel("Description").fill("Keep this text");
  await page.getByLabel("Category").selectOption({ label: "Billing" });
  await page.getByRole("button", { name: "Create ticket" }).click();
  await expect(page.getByText("Give the ticket a title.")).toBeVisible();
  await expect(page.getByLabel("Title")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Description")).toHaveValue("Keep this text");
  await expect(page.getByLabel("Category")).toHaveValue("billing");
});
