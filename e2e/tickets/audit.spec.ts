import { signInWithAtlassian } from "../support/sign-in";
import { expect, test } from "../support/test";
import { createTicketThroughApi } from "./tickets";

test.beforeEach(async ({ page }) => {
  await signInWithAtlassian(page, { name: "Ada Lovelace", site: "acme-demo" });
});

test("Admin → Audit lists ticket events with filters in the address, entity links and Load more", async ({
  page,
}) => {
  const prefix = `Audited ${Date.now()}`;
  let last = { id: "", number: 0 };
  for (let index = 1; index <= 26; index++) {
    last = await createTicketThroughApi(page, {
      title: `${prefix} ${index}`,
      category: "general",
      priority: "low",
    });
  }

  await page.goto("/admin");
  // The support dashboard comes first: its figures and the ticket table with the newest ticket.
  await expect(page.getByTestId("support-overview")).toBeVisible();
  await expect(page.getByRole("link", { name: `${prefix} 26`, exact: true })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  await page.getByRole("link", { name: "Open the audit log" }).click();
  await expect(page).toHaveURL(/\/admin\/audit$/);

  // The "ticket." group: newest first, 25 at a time.
  await page.getByLabel("Action", { exact: true }).selectOption({ label: "Tickets (ticket.)" });
  expect(new URL(page.url()).searchParams.get("action")).toBe("ticket.");
  const events = page.getByTestId("audit-event");
  await expect(events).toHaveCount(25);
  const newest = events.first();
  await expect(newest).toHaveAttribute("data-action", "ticket.created");
  await expect(newest).toContainText(`Filed #${last.number}`);
  await expect(newest).toContainText("Ada Lovelace");
  await newest.getByText("Before and after").click();
  await expect(newest.locator("pre")).toContainText(`"title": "${prefix} 26"`);

  await page.getByRole("button", { name: "Load more" }).click();
  await expect(events).not.toHaveCount(25);
  expect(await events.count()).toBeGreaterThan(25);

  // One ticket's events, from its row; the entity, named by its number and title, links to the ticket.
  await newest.getByRole("link", { name: "Only this ticket" }).click();
  await expect(page).toHaveURL(new RegExp(`entityType=Ticket&entityId=${last.id}`));
  await expect(events).toHaveCount(1);
  await expect(page.getByLabel("Entity id")).toHaveValue(last.id);
  await events
    .first()
    .getByRole("link", { name: `#${last.number} ${prefix} 26` })
    .click();
  await expect(page).toHaveURL(new RegExp(`/tickets/${last.id}$`));
  await expect(page.getByTestId("ticket-title")).toContainText(`${prefix} 26`);
});
