import type { Response } from "@playwright/test";

import { query } from "../support/database";
import { E2E } from "../support/environment";
import { signInWithAtlassian } from "../support/sign-in";
import { expect, test } from "../support/test";
import {
  ADA_API_TOKEN,
  chooseJira,
  chooseProjectAndIssueType,
  connect,
  expectAllChecksPassed,
  fillApiTokenForm,
  openWizard,
  runTest,
  uniqueName,
} from "./wizard";

type StoredIntegration = {
  status: string;
  activationMethod: string | null;
  credentialsSealed: string;
  authMethod: string;
};

const storedIntegration = async (name: string) =>
  (
    await query<StoredIntegration>(
      'SELECT status, "activationMethod", "credentialsSealed", "authMethod" FROM "Integration" WHERE name = $1',
      [name],
    )
  )[0];

test.beforeEach(async ({ page }) => {
  await signInWithAtlassian(page, { name: "Ada Lovelace", site: "acme-demo" });
});

test("connects Jira Cloud with an API token: verify, connect, test → active, and the token never comes back", async ({
  page,
}) => {
  const name = uniqueName("Acme Jira (token)");
  const trpcBodies: Promise<string>[] = [];
  page.on("response", (response: Response) => {
    if (response.url().includes("/api/trpc/")) trpcBodies.push(response.text().catch(() => ""));
  });

  await openWizard(page);
  // Jira is live; the other systems of the registry are listed as coming soon.
  await expect(page.getByRole("button", { name: /Salesforce/ })).toBeDisabled();
  await expect(page.getByRole("button", { name: /Salesforce/ })).toContainText("Coming soon");

  await chooseJira(page, /Jira Cloud — API token/);
  // The form is generated from the mode's schema: the token is a password input.
  await expect(page.getByLabel("API token")).toHaveAttribute("type", "password");
  await fillApiTokenForm(page, name);
  await chooseProjectAndIssueType(page, "DEMO", "Task");

  // Verify: each check with its result, nothing saved.
  await page.getByRole("button", { name: "Verify" }).click();
  const verification = page.getByRole("region", { name: "Verification" });
  await expectAllChecksPassed(verification);
  await expect(verification.getByTestId("total-time")).toHaveText(/\d/);
  expect(await storedIntegration(name)).toBeUndefined();

  // Connect: saved as pending.
  await connect(page, name);
  expect((await storedIntegration(name))?.status).toBe("PENDING");

  // Test with "Activate on success" on by default → active.
  await expect(page.getByLabel("Activate on success")).toBeChecked();
  const result = await runTest(page);
  await expectAllChecksPassed(result);
  await expect(result.getByTestId("integration-status")).toHaveText(["Pending test", "Active"]);
  await expect(page.getByText(`${name} is active`)).toBeVisible();

  const stored = await storedIntegration(name);
  expect(stored).toMatchObject({
    status: "ACTIVE",
    activationMethod: "AUTOMATIC",
    authMethod: "cloud_api_token",
  });
  expect(stored?.credentialsSealed).toMatch(/^tb1\./);
  expect(stored?.credentialsSealed).not.toContain(ADA_API_TOKEN);

  // The list shows it active and links to its page; neither page contains the token.
  expect(await page.content()).not.toContain(ADA_API_TOKEN);
  await page.getByRole("link", { name: "Go to integrations" }).click();
  const row = page.getByTestId("integration-row").filter({ hasText: name });
  await expect(row.getByTestId("integration-status")).toHaveText("Active");
  await expect(row.getByTestId("integration-health")).toContainText("Healthy");
  await expect(row).toContainText("Passed");
  expect(await page.content()).not.toContain(ADA_API_TOKEN);
  await row.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByTestId("activation")).toContainText("automatically");
  // "Edit settings" shows the stored token as stored, never its value.
  await page.getByRole("button", { name: "Edit settings" }).click();
  await expect(page.getByLabel("API token")).toHaveValue("");
  await expect(page.getByText("Stored — leave blank to keep.")).toBeVisible();
  expect(await page.content()).not.toContain(ADA_API_TOKEN);

  const bodies = await Promise.all(trpcBodies);
  expect(bodies.length).toBeGreaterThan(5);
  for (const body of bodies) expect(body).not.toContain(ADA_API_TOKEN);
});

test("connects Jira Cloud through the signed-in user's Atlassian account and activates it", async ({
  page,
}) => {
  const name = uniqueName("Acme Jira (OAuth)");
  await openWizard(page);
  await chooseJira(page, /Jira Cloud — your Atlassian account/);
  await page.getByRole("textbox", { name: "Name", exact: true }).fill(name);

  // The grant covers one site (acme-demo): it is chosen at once, and its projects load by themselves.
  const site = page.getByLabel("Atlassian site");
  await expect(site).toHaveValue("3f6a8b2c-1d4e-4f5a-9b6c-7d8e9f0a1b2c");
  await expect(site.locator("option:checked")).toContainText("acme-demo");
  await chooseProjectAndIssueType(page, "DEMO", "Task");

  await connect(page, name);
  const result = await runTest(page);
  await expectAllChecksPassed(result);
  await expect(page.getByText(`${name} is active`)).toBeVisible();

  const stored = await storedIntegration(name);
  expect(stored).toMatchObject({
    status: "ACTIVE",
    activationMethod: "AUTOMATIC",
    authMethod: "cloud_oauth",
  });
});

test("shows a failing test with its message: a project without create permission ends in ERROR", async ({
  page,
}) => {
  const name = uniqueName("Acme Jira (read-only)");
  await openWizard(page);
  await chooseJira(page, /Jira Cloud — API token/);
  await fillApiTokenForm(page, name);
  const project = page.getByLabel("Project key");
  await expect(project.locator('option[value="READ"]')).toHaveCount(1);
  await project.selectOption("READ");
  // Jira lists no issue types where issues cannot be created: the type is typed instead.
  await expect(page.getByText("READ lists no issue types you can create")).toBeVisible();
  await page.getByLabel("Default issue type").fill("Task");

  await connect(page, name);
  const result = await runTest(page);
  await expect(result).toHaveAttribute("data-success", "false");
  await expect(result.getByTestId("check-connection")).toHaveAttribute("data-passed", "true");
  await expect(result.getByTestId("check-authentication")).toHaveAttribute("data-passed", "true");
  const permissions = result.getByTestId("check-permissions");
  await expect(permissions).toHaveAttribute("data-passed", "false");
  await expect(permissions).toContainText("Permissions: failed");
  await expect(permissions).toContainText(/permission/i);
  await expect(result.getByTestId("integration-status")).toHaveText(["Pending test", "Error"]);
  await expect(page.getByText(`${name} is active`)).toHaveCount(0);

  expect((await storedIntegration(name))?.status).toBe("ERROR");

  // The list shows the error with its health and the failed test.
  await page.goto("/integrations");
  const row = page.getByTestId("integration-row").filter({ hasText: name });
  await expect(row.getByTestId("integration-status")).toHaveText("Error");
  await expect(row.getByTestId("integration-health")).toHaveAttribute("data-health", "error");
  await expect(row).toContainText("Failed");
});

test("connects Jira Data Center with a personal access token and activates it", async ({ page }) => {
  const name = uniqueName("Acme Jira (Data Center)");
  await openWizard(page);
  await chooseJira(page, /Jira Server \/ Data Center/);
  await page.getByRole("textbox", { name: "Name", exact: true }).fill(name);
  await page.getByLabel("Jira URL").fill(`${E2E.sandboxUrl}/dc/acme-demo`);
  await page.getByLabel("Deployment").selectOption("DATA_CENTER");
  await page.getByLabel("Personal access token").fill("sandbox-pat-ada");
  await chooseProjectAndIssueType(page, "DEMO", "Task");

  await connect(page, name);
  await expectAllChecksPassed(await runTest(page));
  await expect(page.getByText(`${name} is active`)).toBeVisible();
  expect(await storedIntegration(name)).toMatchObject({ status: "ACTIVE", authMethod: "server_pat" });
  await expect(page.locator("body")).not.toContainText("sandbox-pat-ada");
});
