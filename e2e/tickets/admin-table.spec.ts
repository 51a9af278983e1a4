import type { Page } from "@playwright/test";

import { query } from "../support/database";
import { signInWithAtlassian } from "../support/sign-in";
import { expect, test } from "../support/test";

test.beforeEach(async ({ page }) => {
  await signInWithAtlassian(page, { name: "Ada Lovelace", site: "acme-demo" });
});

const rows = (page: Page) => page.getByTestId("ticket-row");
const searchParam = (page: Page, name: string) => new URL(page.url()).searchParams.get(name);

async function createTicket(
  page: Page,
  input: { title: string; description?: string; category: string; priority: string },
) {
  const response = await page.request.post("/api/trpc/ticket.create", { data: { json: input } });
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()) as { result: { data: { json: { ticket: { id: string } } } } }).result.data
    .json.ticket;
}

test("an admin filters by type and customer, searches descriptions, and sorts by a column", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const stamp = Date.now().toString(36);
  const prefix = `Table ${stamp}`;
  // A word of its own, so only this test's ticket has it in its description.
  const word = `zq${stamp.replace(/\d/g, "")}x`;
  const bug = await createTicket(page, {
    title: `${prefix} exporter`,
    description: `The exporter crashed on large files ${word}.`,
    category: "bug",
    priority: "high",
  });
  await createTicket(page, { title: `${prefix} dark mode`, category: "feature_request", priority: "low" });
  const billing = await createTicket(page, {
    title: `${prefix} refund`,
    category: "billing",
    priority: "critical",
  });

  // Two of them were reported by a customer of the organization.
  const customerName = `Customer ${stamp}`;
  const [{ id: customerId }] = (await query<{ id: string }>(
    `INSERT INTO "User" (id, name, email, "updatedAt") VALUES ($1, $2, $3, now()) RETURNING id`,
    [`e2e-customer-${stamp}`, customerName, `customer-${stamp}@example.test`],
  )) as [{ id: string }];
  await query(`UPDATE "Ticket" SET "reporterId" = $1 WHERE id = ANY($2)`, [customerId, [bug.id, billing.id]]);

  await page.goto(`/tickets?search=${encodeURIComponent(prefix)}`);
  await expect(rows(page)).toHaveCount(3);

  // Type: bugs only.
  await page.getByLabel("Type").selectOption({ label: "Bug" });
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page)).toContainText(`${prefix} exporter`);
  expect(searchParam(page, "type")).toBe("BUG");
  await page.getByLabel("Type").selectOption({ label: "All" });
  await expect(rows(page)).toHaveCount(3);

  // Customer, by part of the name.
  await page.getByLabel("Customer", { exact: true }).fill(customerName.toLowerCase());
  await page.getByLabel("Customer", { exact: true }).press("Enter");
  await expect(rows(page)).toHaveCount(2);
  await expect(rows(page).first()).toContainText(customerName);
  expect(searchParam(page, "customer")).toBe(customerName.toLowerCase());
  await page.getByLabel("Customer", { exact: true }).fill("");

  // A word from a description, in another form ("crashing" finds "crashed").
  await page.getByRole("searchbox", { name: "Search" }).fill(`crashing ${word}`);
  await page.getByRole("searchbox", { name: "Search" }).press("Enter");
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page)).toContainText(`${prefix} exporter`);

  // Sorting by priority: most severe first, then reversed; the header says so and the address keeps it.
  await page.getByRole("searchbox", { name: "Search" }).fill(prefix);
  await page.getByRole("searchbox", { name: "Search" }).press("Enter");
  await expect(rows(page)).toHaveCount(3);
  const priorityHeader = page
    .getByRole("region", { name: "Tickets table" })
    .getByRole("columnheader", { name: "Priority" });
  await priorityHeader.getByRole("button").click();
  await expect(priorityHeader).toHaveAttribute("aria-sort", "descending");
  await expect(rows(page).first()).toContainText(`${prefix} refund`);
  await expect(rows(page).last()).toContainText(`${prefix} dark mode`);
  expect(searchParam(page, "sort")).toBe("priority");
  await priorityHeader.getByRole("button").click();
  await expect(priorityHeader).toHaveAttribute("aria-sort", "ascending");
  await expect(rows(page).first()).toContainText(`${prefix} dark mode`);
  expect(searchParam(page, "direction")).toBe("asc");
  await page.reload();
  await expect(rows(page).first()).toContainText(`${prefix} dark mode`);

  // A stale ticket shows its badge, and the overview's Stale count leads to the stale ones.
  await query(`UPDATE "Ticket" SET "staleSince" = now() WHERE id = $1`, [bug.id]);
  await page.reload();
  await expect(
    rows(page)
      .filter({ hasText: `${prefix} exporter` })
      .getByTestId("stale-badge"),
  ).toHaveText("Stale");
  await page.getByTestId("stale-count").click();
  await expect(page).toHaveURL(/stale=1/);
  await expect(rows(page).filter({ hasText: `${prefix} exporter` })).toHaveCount(1);
  await expect(page.getByTestId("stale-badge").first()).toBeVisible();
});
