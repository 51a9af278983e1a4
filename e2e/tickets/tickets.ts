import { expect, type Locator, type Page } from "@playwright/test";

import { query } from "../support/database";
import { E2E } from "../support/environment";
import { ADA_API_TOKEN, ADA_EMAIL, connectAndActivateWithApiToken, uniqueName } from "../integrations/wizard";

/** An ACTIVE Jira Cloud integration (API token, project DEMO) connected through the wizard; returns its name. */
export async function connectActiveJira(page: Page, prefix = "Tickets Jira"): Promise<string> {
  const name = uniqueName(prefix);
  await connectAndActivateWithApiToken(page, name);
  return name;
}

export type TicketFields = {
  title: string;
  description?: string;
  /** The visible labels: "Bug", "Feature request", …; "High", … */
  category: string;
  priority: string;
  /** The integration's name; none keeps the ticket internal. */
  integration?: string;
};

/** Opens Tickets → New ticket, fills the form and submits it; returns the result panel. */
export async function fileTicket(page: Page, fields: TicketFields): Promise<Locator> {
  await page.goto("/tickets");
  // A click that lands while the list is still hydrating was once seen to start a navigation that
  // never committed: click again until the form opens, as a person would.
  const newTicket = page.getByRole("link", { name: "New ticket" }).first();
  await expect(async () => {
    if (!/\/tickets\/new$/.test(page.url())) await newTicket.click();
    await expect(page).toHaveURL(/\/tickets\/new$/, { timeout: 1_000 });
  }).toPass({ timeout: 10_000 });
  await page.getByLabel("Title").fill(fields.title);
  if (fields.description !== undefined) await page.getByLabel("Description").fill(fields.description);
  await page.getByLabel("Category").selectOption({ label: fields.category });
  await page.getByLabel("Priority").selectOption({ label: fields.priority });
  if (fields.integration) {
    await page.getByRole("radio", { name: new RegExp(`^${escapeRegExp(fields.integration)}\\b`) }).check();
    await expect(page.getByLabel(`Also create in ${fields.integration}`)).toBeChecked();
  }
  await page.getByRole("button", { name: "Create ticket" }).click();
  const panel = page.getByTestId("ticket-created");
  await expect(panel).toBeVisible({ timeout: 20_000 });
  return panel;
}

/** Creates a ticket through the app's tRPC endpoint with the page's session (fast seeding for list tests). */
export async function createTicketThroughApi(
  page: Page,
  input: { title: string; category: string; priority: string; integrationId?: string },
) {
  const response = await page.request.post("/api/trpc/ticket.create", { data: { json: input } });
  expect(response.status(), await response.text()).toBe(200);
  const body = (await response.json()) as {
    result: { data: { json: { ticket: { id: string; number: number } } } };
  };
  return body.result.data.json.ticket;
}

export const sandbox = {
  async setFaults(faults: Record<string, unknown>) {
    const response = await fetch(`${E2E.sandboxUrl}/__sandbox/faults`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(faults),
    });
    expect(response.ok).toBe(true);
  },
  async clearFaults() {
    await fetch(`${E2E.sandboxUrl}/__sandbox/faults`, { method: "DELETE" });
  },
  /** The issue as Jira's REST API answers it to Ada (the account the integration uses). */
  async getIssue(siteUrl: string, key: string) {
    return fetch(`${siteUrl}/rest/api/3/issue/${encodeURIComponent(key)}`, {
      headers: { Authorization: `Basic ${Buffer.from(`${ADA_EMAIL}:${ADA_API_TOKEN}`).toString("base64")}` },
    });
  },
  /** The comments of a DEMO issue on acme-demo, with their visibility restriction (null: everyone). */
  async commentsOf(key: string) {
    const response = await fetch(`${E2E.sandboxUrl}/__sandbox/issues?project=DEMO&site=acme-demo`);
    const issues = (await response.json()) as {
      key: string;
      comments: { visibility: { type: string; value: string } | null }[];
    }[];
    return issues.find((issue) => issue.key === key)?.comments ?? [];
  },
  /** Issues of DEMO on acme-demo with this summary. */
  async issuesWithSummary(summary: string) {
    const response = await fetch(`${E2E.sandboxUrl}/__sandbox/issues?project=DEMO&site=acme-demo`);
    const issues = (await response.json()) as { key: string; summary: string }[];
    return issues.filter((issue) => issue.summary === summary);
  },
};

export type StoredTicket = {
  id: string;
  number: number;
  title: string;
  description: string;
  category: string;
  priority: string;
};

export type StoredExternalIssue = {
  id: string;
  syncState: string;
  externalKey: string | null;
  url: string | null;
  lastError: string | null;
  hasResponse: boolean;
};

export async function storedTicket(title: string) {
  const [ticket] = await query<StoredTicket>(
    `SELECT id, number, title, description, category, priority FROM "Ticket" WHERE title = $1`,
    [title],
  );
  if (!ticket) return { ticket: undefined, externalIssues: [] as StoredExternalIssue[] };
  const externalIssues = await query<StoredExternalIssue>(
    `SELECT id, "syncState", "externalKey", url, "lastError", "creationResponse" IS NOT NULL AS "hasResponse"
     FROM "ExternalIssue" WHERE "ticketId" = $1`,
    [ticket.id],
  );
  return { ticket, externalIssues };
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
