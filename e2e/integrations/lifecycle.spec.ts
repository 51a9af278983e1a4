import { query } from "../support/database";
import { signInWithAtlassian } from "../support/sign-in";
import { expect, test } from "../support/test";
import { ADA_API_TOKEN, connectAndActivateWithApiToken, expectAllChecksPassed, uniqueName } from "./wizard";

const statusOf = async (name: string) =>
  (
    await query<{ status: string; deletedAt: Date | null }>(
      'SELECT status, "deletedAt" FROM "Integration" WHERE name = $1',
      [name],
    )
  )[0];

test.beforeEach(async ({ page }) => {
  await signInWithAtlassian(page, { name: "Ada Lovelace", site: "acme-demo" });
});

test("disables and re-enables an integration from its page; the history records both", async ({ page }) => {
  const name = uniqueName("Acme Jira (lifecycle)");
  await connectAndActivateWithApiToken(page, name);
  await page.getByRole("link", { name: `Open ${name}` }).click();

  const status = page.getByTestId("current-status");
  await expect(status).toHaveText("Active");

  await page.getByRole("button", { name: "Disable" }).click();
  await expect(status).toHaveText("Disabled");
  expect((await statusOf(name))?.status).toBe("INACTIVE");
  await expect(page.getByText("Enabling runs all four tests first")).toBeVisible();

  await page.getByRole("button", { name: "Enable" }).click();
  await expectAllChecksPassed(page.getByRole("region", { name: "Enable" }));
  await expect(status).toHaveText("Active");
  expect((await statusOf(name))?.status).toBe("ACTIVE");

  // History: the status changes (pending → active → disabled → active) and the test runs.
  const changes = page.getByTestId("history-event").filter({ hasText: "Status changed" });
  await expect(changes).toHaveCount(3);
  await expect(changes.first().getByTestId("integration-status")).toHaveText(["Disabled", "Active"]);
  await expect(page.getByTestId("test-run")).toHaveCount(2);
});

test("edits the settings keeping the stored token, then deletes the integration", async ({ page }) => {
  const name = uniqueName("Acme Jira (edit)");
  const renamed = `${name} renamed`;
  await connectAndActivateWithApiToken(page, name);
  await page.getByRole("link", { name: `Open ${name}` }).click();

  await page.getByRole("button", { name: "Edit settings" }).click();
  const form = page.getByRole("form", { name: "Edit settings" });
  await expect(form.getByLabel("Project key")).toHaveValue("DEMO");
  await form.getByRole("textbox", { name: "Name", exact: true }).fill(renamed);
  await form.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("heading", { level: 1, name: renamed })).toBeVisible();

  // The token left blank was kept: the test still passes.
  await page.getByRole("button", { name: "Test", exact: true }).click();
  await expectAllChecksPassed(page.getByRole("region", { name: "Test", exact: true }));
  expect(await page.content()).not.toContain(ADA_API_TOKEN);

  await page.getByRole("button", { name: "Delete", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: `Delete ${renamed}?` });
  await expect(dialog).toContainText("stay readable");
  await dialog.getByRole("button", { name: "Delete integration" }).click();
  await expect(page).toHaveURL(/\/integrations$/);
  await expect(page.getByTestId("integration-row").filter({ hasText: renamed })).toHaveCount(0);
  expect((await statusOf(renamed))?.deletedAt).not.toBeNull();
});
