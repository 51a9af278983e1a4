import type { Page } from "@playwright/test";

import { query } from "../support/database";
import { signInWithAtlassian } from "../support/sign-in";
import { expect, test } from "../support/test";
import { connectActiveJira, createTicketThroughApi, storedTicket } from "./tickets";

test.beforeEach(async ({ page }) => {
  await signInWithAtlassian(page, { name: "Ada Lovelace", site: "acme-demo" });
});

const rows = (page: Page) => page.getByTestId("ticket-row");
const searchParam = (page: Page, name: string) => new URL(page.url()).searchParams.get(name);

test("filters, search and pagination run on the server and live in the address", async ({ page }) => {
  test.setTimeout(120_000);
  const integration = await connectActiveJira(page, "Filters Jira");
  const [{ id: integrationId }] = (await query<{ id: string }>(
    `SELECT id FROM "Integration" WHERE name = $1`,
    [integration],
  )) as [{ id: string }];

  // Seed: two bugs, one billing ticket created in Jira, and eleven general ones (14 in all).
  const prefix = `Filter ${Date.now()}`;
  const alpha = await createTicketThroughApi(page, {
    title: `${prefix} alpha`,
    category: "bug",
    priority: "high",
  });
  await createTicketThroughApi(page, { title: `${prefix} beta`, category: "bug", priority: "low" });
  await createTicketThroughApi(page, {
    title: `${prefix} gamma`,
    category: "billing",
    priority: "high",
    integrationId,
  });
  for (let index = 1; index <= 11; index++) {
    await createTicketThroughApi(page, {
      title: `${prefix} bulk ${index}`,
      category: "general",
      priority: "medium",
    });
  }
  const gammaKey = (await storedTicket(`${prefix} gamma`)).externalIssues[0]?.externalKey;
  expect(gammaKey).toMatch(/^DEMO-\d+$/);

  // Search narrows the list to this test's tickets; the address says so.
  await page.goto("/tickets");
  await page.getByRole("searchbox", { name: "Search" }).fill(prefix);
  await page.getByRole("searchbox", { name: "Search" }).press("Enter");
  await expect(page.getByTestId("ticket-count")).toHaveText("14 tickets match.");
  await expect(rows(page)).toHaveCount(14);
  expect(searchParam(page, "search")).toBe(prefix);

  // Ten per page: two pages, the second holding the four oldest.
  await page.getByLabel("Rows per page").selectOption("10");
  await expect(rows(page)).toHaveCount(10);
  await expect(page.getByTestId("page-indicator")).toHaveText("Page 1 of 2");
  await page.getByRole("navigation", { name: "Ticket pages" }).getByRole("button", { name: "Next" }).click();
  await expect(page.getByTestId("page-indicator")).toHaveText("Page 2 of 2");
  await expect(rows(page)).toHaveCount(4);
  await expect(rows(page).last()).toContainText(`${prefix} alpha`);
  expect(searchParam(page, "page")).toBe("2");
  expect(searchParam(page, "pageSize")).toBe("10");

  // Category, then priority: back to page 1 each time, and into the address.
  await page.getByLabel("Category").selectOption({ label: "Bug" });
  await expect(rows(page)).toHaveCount(2);
  expect(searchParam(page, "category")).toBe("bug");
  expect(searchParam(page, "page")).toBeNull();
  await page.getByLabel("Priority").selectOption({ label: "High" });
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page)).toContainText(`${prefix} alpha`);
  expect(searchParam(page, "priority")).toBe("high");

  // The filtered address can be reloaded (or shared) as it is.
  await page.reload();
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page)).toContainText(`${prefix} alpha`);
  await expect(page.getByLabel("Category")).toHaveValue("bug");
  await expect(page.getByLabel("Priority")).toHaveValue("high");
  await expect(page.getByRole("searchbox", { name: "Search" })).toHaveValue(prefix);

  // No match: said in words, with a way out.
  await page.getByLabel("Category").selectOption({ label: "Feature request" });
  await expect(page.getByTestId("ticket-count")).toHaveText("No tickets match these filters.");
  await expect(rows(page)).toHaveCount(0);

  // Integration and sync state: only the ticket created in Jira, with its key.
  await page.goto(`/tickets?search=${encodeURIComponent(prefix)}`);
  await expect(rows(page)).toHaveCount(14);
  await page.getByLabel("Integration").selectOption({ label: integration });
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page)).toContainText(`${prefix} gamma`);
  await expect(rows(page).getByTestId("external-key")).toHaveText(new RegExp(gammaKey!));
  expect(searchParam(page, "integrationId")).toBe(integrationId);
  await page.getByLabel("Integration").selectOption({ label: "All" });
  await page.getByLabel("Sync state").selectOption({ label: "Created" });
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).getByTestId("sync-state")).toHaveText(/Created/);
  expect(searchParam(page, "syncState")).toBe("CREATED");

  // Search by number and by external key.
  await page.goto(`/tickets?search=%23${alpha.number}`);
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page)).toContainText(`${prefix} alpha`);
  await page.getByRole("searchbox", { name: "Search" }).fill(gammaKey!);
  await page.getByRole("button", { name: "Search", exact: true }).click();
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page)).toContainText(`${prefix} gamma`);

  // Clear filters empties the address.
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/tickets$/);
});
