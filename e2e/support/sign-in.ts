import { expect, type Page } from "@playwright/test";

/** Signs in through the real OAuth flow: the app, the sandbox's Atlassian consent page, back. */
export async function signInWithAtlassian(page: Page, identity: { name: string; site: string }) {
  await page.goto("/");
  await page.getByRole("button", { name: "Sign in with Atlassian" }).click();

  await expect(page.getByRole("heading", { level: 1 })).toContainText("Authorize");
  await page.getByLabel(new RegExp(identity.name)).check();
  await page.getByLabel(new RegExp(identity.site)).check();
  await page.getByRole("button", { name: "Accept" }).click();

  await expect(page).toHaveURL(/\/dashboard$/);
}
