import { expect, type Locator, type Page } from "@playwright/test";

import { E2E } from "../support/environment";

/** Ada's Jira Cloud site in the sandbox, reached with her email and API token. */
export const ACME_SITE_URL = `${E2E.sandboxUrl}/site/acme-demo`;
export const ADA_EMAIL = "ada@acme.example";
export const ADA_API_TOKEN = "sandbox-token-ada";

export function uniqueName(prefix: string) {
  return `${prefix} ${Date.now()}`;
}

/** The list's "Connect" (or, while it is empty, "Connect a system") → step 1 of the wizard. */
export async function openWizard(page: Page) {
  await page.goto("/integrations");
  await page.getByRole("link", { name: /^Connect( a system)?$/ }).click();
  await expect(page).toHaveURL(/\/integrations\/new$/);
  await expect(page.getByRole("heading", { name: "Choose a system" })).toBeVisible();
}

export async function chooseJira(page: Page, mode: RegExp) {
  await page.getByRole("button", { name: /^Jira\b/ }).click();
  await expect(page.getByRole("heading", { name: "Choose how to connect" })).toBeVisible();
  await page.getByRole("button", { name: mode }).click();
  await expect(page.getByRole("heading", { name: "Configure and verify" })).toBeVisible();
}

/** Picks the project from the live list, then the issue type from that project's list. */
export async function chooseProjectAndIssueType(page: Page, projectKey: string, issueType: string) {
  const project = page.getByLabel("Project key");
  await expect(project.locator(`option[value="${projectKey}"]`)).toHaveCount(1);
  await project.selectOption(projectKey);
  const issueTypeField = page.getByLabel("Default issue type");
  await expect(issueTypeField.locator(`option[value="${issueType}"]`)).toHaveCount(1);
  await issueTypeField.selectOption(issueType);
}

export async function fillApiTokenForm(page: Page, name: string) {
  await page.getByRole("textbox", { name: "Name", exact: true }).fill(name);
  await page.getByLabel("Jira URL").fill(ACME_SITE_URL);
  await page.getByLabel("Atlassian account email").fill(ADA_EMAIL);
  await page.getByLabel("API token").fill(ADA_API_TOKEN);
}

/** "Connect" saves the integration as pending and opens the test step. */
export async function connect(page: Page, name: string) {
  await page.getByRole("button", { name: "Connect", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Test and activate" })).toBeVisible();
  await expect(page.getByText(`${name} is connected`)).toBeVisible();
}

/** Runs the test (with "Activate on success" as it is) and returns its result region. */
export async function runTest(page: Page): Promise<Locator> {
  await page.getByRole("button", { name: "Test", exact: true }).click();
  const result = page.getByRole("region", { name: "Test", exact: true });
  await expect(result).toBeVisible({ timeout: 30_000 });
  return result;
}

export async function expectAllChecksPassed(result: Locator) {
  for (const check of ["connection", "authentication", "project_access", "permissions"]) {
    await expect(result.getByTestId(`check-${check}`)).toHaveAttribute("data-passed", "true");
  }
  await expect(result).toHaveAttribute("data-success", "true");
}

/** The whole wizard for Jira Cloud with an API token, ending ACTIVE. */
export async function connectAndActivateWithApiToken(page: Page, name: string) {
  await openWizard(page);
  await chooseJira(page, /Jira Cloud — API token/);
  await fillApiTokenForm(page, name);
  await chooseProjectAndIssueType(page, "DEMO", "Task");
  await connect(page, name);
  await expectAllChecksPassed(await runTest(page));
  await expect(page.getByText(`${name} is active`)).toBeVisible();
}
