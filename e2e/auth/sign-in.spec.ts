import { everyStoredText, query } from "../support/database";
import { signInWithAtlassian } from "../support/sign-in";
import { expect, test } from "../support/test";

test("signs in with Atlassian through the consent page, stores the grant sealed, and signs out", async ({
  page,
}) => {
  await signInWithAtlassian(page, { name: "Ada Lovelace", site: "acme-demo" });

  // Landed in the app, inside a personal organization as its owner.
  await expect(page.getByRole("heading", { name: "Welcome, Ada" })).toBeVisible();
  await expect(page.getByTestId("organization-name")).toHaveText("Ada Lovelace's organization");
  await expect(page.getByTestId("user-role")).toHaveText("Owner");
  for (const section of ["Integrations", "Tickets", "Support", "Admin"]) {
    await expect(
      page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: section }),
    ).toBeVisible();
  }

  // The database holds the session, the organization membership and the sealed Atlassian grant.
  const [user] = await query<{ id: string }>(`SELECT id FROM "User" WHERE email = $1`, ["ada@acme.example"]);
  expect(user).toBeDefined();
  const sessions = await query(`SELECT * FROM "Session" WHERE "userId" = $1 AND expires > now()`, [user!.id]);
  expect(sessions.length).toBeGreaterThan(0);
  const memberships = await query<{ role: string; personal: boolean }>(
    `SELECT m.role, o.personal FROM "Membership" m JOIN "Organization" o ON o.id = m."organizationId"
     WHERE m."userId" = $1`,
    [user!.id],
  );
  expect(memberships).toEqual([{ role: "OWNER", personal: true }]);
  const [account] = await query<{ accessTokenSealed: string; refreshTokenSealed: string }>(
    `SELECT "accessTokenSealed", "refreshTokenSealed" FROM "Account" WHERE "userId" = $1 AND provider = 'atlassian'`,
    [user!.id],
  );
  expect(account?.accessTokenSealed).toMatch(/^tb1\./);
  expect(account?.refreshTokenSealed).toMatch(/^tb1\./);
  // The sandbox's tokens look like sbx_at_… / sbx_rt_…: none may be stored in plaintext anywhere.
  expect(await everyStoredText()).not.toMatch(/sbx_(at|rt)_/);

  // Admin shows the audit trail of the first sign-in.
  await page.getByRole("link", { name: "Admin" }).first().click();
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  await expect(page.getByText("organization.created").first()).toBeVisible();

  // Sign out ends the session.
  await page.getByLabel(/Account menu/).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("button", { name: "Sign in with Atlassian" })).toBeVisible();
  const remaining = await query(`SELECT * FROM "Session" WHERE "userId" = $1`, [user!.id]);
  expect(remaining).toHaveLength(sessions.length - 1);

  // Signed-out visitors are sent back to sign in.
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/$/);
});

test("shows a 404 page for unknown addresses", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "This page does not exist" })).toBeVisible();
});
