import { readFile } from "node:fs/promises";

import { query } from "../support/database";
import { signInWithAtlassian } from "../support/sign-in";
import { expect, test } from "../support/test";
import { createTicketThroughApi } from "./tickets";

test.beforeEach(async ({ page }) => {
  await signInWithAtlassian(page, { name: "Ada Lovelace", site: "acme-demo" });
});

test("an admin generates this week's report, reads its figures and downloads its CSV", async ({ page }) => {
  const prefix = `Report ${Date.now()}`;
  // A title a spreadsheet would run as a formula, and one with a comma and quotes.
  const formula = await createTicketThroughApi(page, {
    title: `=HYPERLINK("http://evil.example","${prefix}")`,
    category: "bug",
    priority: "critical",
  });
  const quoted = await createTicketThroughApi(page, {
    title: `${prefix}, "export" please`,
    category: "feature_request",
    priority: "low",
  });

  await page.getByRole("navigation", { name: "Main" }).first().getByRole("link", { name: "Reports" }).click();
  await expect(page).toHaveURL(/\/reports$/);
  await page.getByRole("button", { name: "Generate this week" }).click();
  await expect(page).toHaveURL(/\/reports\/[0-9a-f-]{36}$/, { timeout: 20_000 });
  const reportId = page.url().split("/").pop()!;

  const report = page.getByTestId("report");
  await expect(report.getByRole("heading", { name: /^Weekly report, / })).toBeVisible();
  await expect(report).toContainText("This week so far");

  // The figures match the database at the moment of generation (tests run one at a time).
  const [stored] = await query<{ organizationId: string; periodStart: Date; periodEnd: Date }>(
    `SELECT "organizationId", "periodStart", "periodEnd" FROM "Report" WHERE id = $1`,
    [reportId],
  );
  expect(stored).toBeDefined();
  const [counts] = await query<{ opened: number; critical: number }>(
    `SELECT count(*)::int AS opened, count(*) FILTER (WHERE priority = 'critical')::int AS critical
     FROM "Ticket" WHERE "organizationId" = $1 AND "createdAt" >= $2 AND "createdAt" < $3`,
    [stored!.organizationId, stored!.periodStart, stored!.periodEnd],
  );
  expect(counts!.opened).toBeGreaterThanOrEqual(2);
  await expect(page.getByTestId("report-opened")).toHaveText(String(counts!.opened));
  const critical = report
    .getByRole("region", { name: "By priority" })
    .getByRole("row", { name: /^Critical/ });
  await expect(critical.getByRole("cell").first()).toHaveText(String(counts!.critical));

  // The list shows it too.
  await page.getByRole("link", { name: "All reports" }).click();
  await expect(page.getByTestId("report-row").first()).toContainText("Up to");
  await page.getByTestId("report-row").first().getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/reports/${reportId}$`));

  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^ticketbridge-weekly-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = await readFile((await download.path())!, "utf8");
  const lines = csv.split("\r\n");
  expect(lines[0]).toBe(
    "Number,Title,Type,Priority,Status,Reporter,Created,First response,Resolved,External key",
  );
  expect(lines).toContainEqual(
    expect.stringMatching(
      new RegExp(
        `^${formula.number},"'=HYPERLINK\\(""http://evil\\.example"",""${prefix}""\\)",BUG,critical,OPEN,`,
      ),
    ),
  );
  expect(lines).toContainEqual(
    expect.stringMatching(new RegExp(`^${quoted.number},"${prefix}, ""export"" please",FEATURE,low,OPEN,`)),
  );
  // One row per ticket opened or resolved in the period: the header, the rows, a final line break.
  expect(lines.length).toBeGreaterThanOrEqual(counts!.opened + 2);
});

test("a report generated while the list is still loading is in the list afterwards", async ({ page }) => {
  // No stored reports, so the list's first answer is known to predate the one generated below.
  await query(
    `DELETE FROM "Report" WHERE "organizationId" IN (
       SELECT m."organizationId" FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = $1)`,
    ["ada@acme.example"],
  );
  // The list's first answer is read on the server at once, but reaches the page only after the
  // report has been generated: a slow first load racing the click.
  let listRead!: () => void;
  const listReadOnServer = new Promise<void>((resolve) => (listRead = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(
    /\/api\/trpc\/[^?]*report\.list/,
    async (route) => {
      const response = await route.fetch();
      listRead();
      await released;
      await route.fulfill({ response });
    },
    { times: 1 },
  );

  await page.goto("/reports");
  await listReadOnServer;
  const generated = page.waitForResponse(/\/api\/trpc\/[^?]*report\.generate/);
  await page.getByRole("button", { name: "Generate this week" }).click();
  await generated;
  // The stale answer arrives once the page has had time to act on the generation.
  await Promise.race([page.waitForURL(/\/reports\/[0-9a-f-]{36}$/), page.waitForTimeout(1_000)]);
  release();

  await expect(page).toHaveURL(/\/reports\/[0-9a-f-]{36}$/, { timeout: 20_000 });
  const reportId = page.url().split("/").pop()!;
  await page.getByRole("link", { name: "All reports" }).click();
  await expect(page).toHaveURL(/\/reports$/);
  await expect(page.getByTestId("report-row")).toHaveCount(1);
  await expect(page.getByTestId("report-row").getByRole("link")).toHaveAttribute(
    "href",
    `/reports/${reportId}`,
  );
});
