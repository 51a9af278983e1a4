import { ACME_SITE_URL, ADA_API_TOKEN, ADA_EMAIL } from "../integrations/wizard";
import { E2E } from "../support/environment";
import { signInWithAtlassian } from "../support/sign-in";
import { expect, test } from "../support/test";
import { connectActiveJira, sandbox } from "./tickets";

test.beforeEach(async ({ page }) => {
  await signInWithAtlassian(page, { name: "Ada Lovelace", site: "acme-demo" });
});

test("a bug report from Support becomes a Jira issue; the customer sees public replies only, and Jira's status change arrives by webhook", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const integration = await connectActiveJira(page, "Support Jira");
  // Requests from Support go to this integration, whatever else the organization has connected.
  await page.goto("/integrations");
  await page.getByRole("link", { name: integration }).click();
  // The box shows the stored setting: checked once the update is saved and read back.
  const supportDefault = page.getByLabel(/^Default for support requests/);
  await supportDefault.click();
  await expect(supportDefault).toBeChecked({ timeout: 15_000 });
  await expect(supportDefault).toBeEnabled();
  const summary = `Export does nothing ${Date.now()}`;

  await page.goto("/support");
  await page.getByLabel("Bug report").check();
  await page.getByLabel("Summary").fill(summary);
  await page.getByLabel("Description").fill("Clicking Export has no effect.");
  await page.getByLabel("Priority").selectOption({ label: "High" });
  await page.getByLabel("Steps to reproduce").fill("1. Open reports\n2. Click Export");
  await expect(page.getByLabel("Environment")).toHaveValue(/Mozilla|Chrome/);
  await page.getByRole("button", { name: "Send bug report" }).click();

  const filed = page.getByTestId("support-filed");
  await expect(filed).toBeVisible({ timeout: 20_000 });
  await expect(filed).toContainText(/tracked as DEMO-\d+/);
  const key = ((await filed.textContent()) ?? "").match(/DEMO-\d+/)![0];
  const issue = (await (await sandbox.getIssue(ACME_SITE_URL, key)).json()) as {
    fields: { summary: string };
  };
  expect(issue.fields.summary).toBe(summary);

  // My tickets lists it with its badges and the Jira link.
  const row = page.getByTestId("my-ticket").filter({ hasText: summary });
  await expect(row).toContainText("Open");
  await expect(row).toContainText("Bug report");
  await expect(row.getByRole("link", { name: key })).toHaveAttribute(
    "href",
    `${ACME_SITE_URL}/browse/${key}`,
  );

  // The team answers on the staff page: one public reply, one internal note.
  await filed.getByTestId("support-number").click();
  await expect(page).toHaveURL(/\/support\/[\w-]+$/);
  await expect(page.getByTestId("my-ticket-status")).toHaveText("Open");
  const ticketUrl = page.url();
  const ticketId = ticketUrl.split("/").pop()!;
  await page.goto(`/tickets/${ticketId}`);
  await page.getByLabel("Add a comment").fill("We are looking into it.");
  await page.getByRole("button", { name: "Add comment" }).click();
  await expect(page.getByTestId("comment")).toHaveCount(1, { timeout: 20_000 });
  await page.getByLabel("Add a comment").fill("INTERNAL: export service is down");
  await page.getByLabel(/^Internal — visible to agents and admins only/).check();
  await page.getByRole("button", { name: "Add internal comment" }).click();
  await expect(page.getByTestId("comment")).toHaveCount(2, { timeout: 20_000 });

  // The customer's page: the public reply, never the internal note; they reply themselves.
  await page.goto(ticketUrl);
  await expect(page.getByTestId("public-comments")).toContainText("We are looking into it.");
  await expect(page.getByText("INTERNAL: export service is down")).toHaveCount(0);
  await page.getByLabel("Reply").fill("Thanks!");
  await page.getByRole("button", { name: "Send reply" }).click();
  await expect(page.getByTestId("public-comments")).toContainText("Thanks!");
  const customerResponse = await page.request.get(
    `/api/trpc/support.myTicket?input=${encodeURIComponent(JSON.stringify({ json: { id: ticketId } }))}`,
  );
  expect(await customerResponse.text()).not.toContain("INTERNAL: export service is down");

  // Jira sends its changes back: the admin makes a webhook secret and enters URL and secret in Jira.
  const admin = await page.context().newPage();
  await admin.goto("/integrations");
  await admin.getByRole("link", { name: integration }).click();
  await admin.getByRole("button", { name: "Make a secret" }).click();
  const secret = (await admin.getByTestId("webhook-secret").textContent())!.trim();
  const url = (await admin.getByTestId("webhook-url").textContent())!.trim();
  const registered = await fetch(`${E2E.sandboxUrl}/__sandbox/webhooks`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ url, secret, site: "acme-demo", jqlFilter: `key = ${key}` }),
  });
  expect(registered.status).toBe(201);

  // Someone moves the issue in Jira; the customer's open page follows without a reload.
  const moved = await fetch(`${ACME_SITE_URL}/rest/api/3/issue/${key}/transitions`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Authorization: `Basic ${Buffer.from(`${ADA_EMAIL}:${ADA_API_TOKEN}`).toString("base64")}`,
    },
    body: JSON.stringify({ transition: { id: "21" } }),
  });
  expect(moved.status).toBe(204);
  await expect(page.getByTestId("my-ticket-status")).toHaveText("In progress", { timeout: 40_000 });
  await admin.reload();
  await expect(admin.getByText("None received yet")).toHaveCount(0);
});
