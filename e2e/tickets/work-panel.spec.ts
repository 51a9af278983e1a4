import { ACME_SITE_URL } from "../integrations/wizard";
import { signInWithAtlassian } from "../support/sign-in";
import { expect, test } from "../support/test";
import { connectActiveJira, fileTicket, sandbox } from "./tickets";

test.beforeEach(async ({ page }) => {
  await signInWithAtlassian(page, { name: "Ada Lovelace", site: "acme-demo" });
});

test("an agent moves a ticket and comments; the Jira issue follows, the internal comment restricted", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const integration = await connectActiveJira(page, "Work Jira");
  const title = `Work panel ${Date.now()}`;
  const panel = await fileTicket(page, { title, category: "Bug", priority: "High", integration });
  const keyLink = panel.getByTestId("external-key");
  await expect(keyLink).toHaveText(/DEMO-\d+/, { timeout: 20_000 });
  const key = ((await keyLink.textContent()) ?? "").match(/DEMO-\d+/)![0];
  await panel.getByTestId("ticket-number").click();
  await expect(page.getByTestId("ticket-title")).toContainText(title);

  await page.getByLabel("Status").selectOption({ label: "In progress" });
  await expect(page.getByText(`Status set to In progress. ${key} follows in Jira.`)).toBeVisible({
    timeout: 20_000,
  });
  const issue = (await (await sandbox.getIssue(ACME_SITE_URL, key)).json()) as {
    fields: { status: { name: string } };
  };
  expect(issue.fields.status.name).toBe("In Progress");

  await page.getByLabel("Add a comment").fill("Reproduced on staging.");
  await page.getByRole("button", { name: "Add comment" }).click();
  await expect(page.getByText(`Comment added. ${key} follows in Jira.`)).toBeVisible({ timeout: 20_000 });

  await page.getByLabel("Add a comment").fill("Probably the <b>cache</b>; do not tell the customer yet.");
  await page.getByLabel(/^Internal — visible to agents and admins only/).check();
  await page.getByRole("button", { name: "Add internal comment" }).click();
  await expect(page.getByText(`Internal comment added. ${key} follows in Jira.`)).toBeVisible({
    timeout: 20_000,
  });

  const comments = page.getByTestId("comment");
  await expect(comments).toHaveCount(2);
  await expect(comments.nth(0)).toHaveAttribute("data-visibility", "PUBLIC");
  await expect(comments.nth(1)).toHaveAttribute("data-visibility", "INTERNAL");
  await expect(comments.nth(1)).toContainText("Internal — agents only");
  // Markup stays text.
  await expect(comments.nth(1)).toContainText("<b>cache</b>");

  const inJira = await sandbox.commentsOf(key);
  expect(inJira.map((comment) => comment.visibility)).toEqual([
    null,
    { type: "role", value: "Administrators" },
  ]);
});
