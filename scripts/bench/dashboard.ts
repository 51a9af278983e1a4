/**
 * `npm run bench:dashboard` — the Tickets dashboard on 100,000 tickets (PostgreSQL), each
 * measurement side by side with its baseline in one run, alternating rounds:
 *
 *  (a) one dashboard load: the support overview's figures (`ticketStats`) and the first page of
 *      a filtered list (`listTickets`, open tickets), against a bare SELECT of the same page;
 *  (b) a full-text search page (`listTickets` with a search, ranked), against the list's former
 *      search (title ILIKE through Prisma), and the customer's search (`listMyTickets`).
 *
 * "Server time" here is the service call measured in-process (database round trips included,
 * no HTTP, session or tRPC). It seeds a dedicated organization with one INSERT … SELECT
 * generate_series (reused on later runs), prints a Markdown report with EXPLAIN (ANALYZE)
 * excerpts, and adds it to docs/benchmarks.md with --write. Needs DATABASE_URL (PostgreSQL).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";

import pg from "pg";

import { seedDashboardOrganization } from "./dashboard-seed";

const args = new Set(process.argv.slice(2));
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl?.startsWith("postgres")) {
  console.error("npm run bench:dashboard needs PostgreSQL: set DATABASE_URL=postgresql://…");
  process.exit(1);
}
const TICKETS = Number(process.env.BENCH_TICKETS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PER_ROUND = 20;

// Imported after the check: opening the database is what must not happen without one.
const { database, db } = await import("../../src/server/db");
const { listTickets } = await import("../../src/server/services/tickets/tickets");
const { ticketStats, storeStatsSnapshot } = await import("../../src/server/services/tickets/ticket-stats");
const { listMyTickets } = await import("../../src/server/services/support/support");

await database.migrate();
const client = new pg.Client({ connectionString: databaseUrl });
await client.connect();

try {
  const seedStarted = performance.now();
  const { organizationId, ownerId, customerId } = await seedDashboardOrganization(client, TICKETS);
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const agent = { userId: ownerId, organizationId, role: "OWNER" as const };
  const customer = { userId: customerId, organizationId, role: "CUSTOMER" as const };

  // The job's work for this organization: every figure computed and stored.
  const snapshotMs: number[] = [];
  for (let run = 0; run < 3; run++) snapshotMs.push(await timed(() => storeStatsSnapshot(organizationId)));

  const openPage = { status: "OPEN" as const, pageSize: 25 };
  const cases = {
    dashboard: () => Promise.all([ticketStats(agent), listTickets(agent, openPage)]),
    bareOpenPage: () => db.$queryRaw`
      SELECT id, number, title, category, priority, status, type, "createdAt" FROM "Ticket"
      WHERE "organizationId" = ${organizationId} AND status = 'OPEN'::"TicketStatus"
      ORDER BY number DESC LIMIT 25`,
    statsOnly: () => ticketStats(agent),
    searchCommon: () => listTickets(agent, { search: "checkout crashes" }),
    searchRare: () => listTickets(agent, { search: "kubernetes" }),
    searchPhrase: () => listTickets(agent, { search: '"shows an error" -android' }),
    searchKey: () => listTickets(agent, { search: "BENCH-4242" }),
    ilikeCommon: () => formerSearch(organizationId, "checkout crashes"),
    ilikeRare: () => formerSearch(organizationId, "Checkout"),
    customerSearch: () => listMyTickets(customer, { search: "crashing" }),
  } satisfies Record<string, () => Promise<unknown>>;
  type Case = keyof typeof cases;
  const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, [] as number[]])) as Record<
    Case,
    number[]
  >;
  for (const call of Object.values(cases)) await call(); // warm connections and plans
  // Alternating rounds, so drift on a shared machine hits every case alike.
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, call] of Object.entries(cases) as [Case, () => Promise<unknown>][]) {
      for (let index = 0; index < PER_ROUND; index++) samples[name].push(await timed(call));
    }
  }
  const hits = {
    searchCommon: (await listTickets(agent, { search: "checkout crashes" })).total,
    searchRare: (await listTickets(agent, { search: "kubernetes" })).total,
    searchPhrase: (await listTickets(agent, { search: '"shows an error" -android' })).total,
    searchKey: (await listTickets(agent, { search: "BENCH-4242" })).total,
    ilikeCommon: (await formerSearch(organizationId, "checkout crashes"))[0],
    ilikeRare: (await formerSearch(organizationId, "Checkout"))[0],
    customerSearch: (await listMyTickets(customer, { search: "crashing" })).total,
  };
  const plans = await explainPlans(client, organizationId);
  const report = renderReport({ seedSeconds, snapshotMs, samples, hits, plans });
  console.log(report);
  if (args.has("--write")) writeReport(report);
} finally {
  await client.end();
  await db.$disconnect();
}
process.exit(0);

/* ─────────────────────────────────────── measuring ─────────────────────────────────────── */

async function timed(call: () => Promise<unknown>) {
  const begin = performance.now();
  await call();
  return performance.now() - begin;
}

function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** The list's search before full-text search: title ILIKE or an exact external key, newest first. */
function formerSearch(organizationId: string, search: string) {
  const where = {
    organizationId,
    OR: [
      { title: { contains: search, mode: "insensitive" as const } },
      { externalIssues: { some: { externalKey: { equals: search.toUpperCase() } } } },
    ],
  };
  return Promise.all([
    db.ticket.count({ where }),
    db.ticket.findMany({
      where,
      orderBy: { number: "desc" },
      take: 25,
      select: { id: true, number: true, title: true, externalIssues: { select: { externalKey: true } } },
    }),
  ]);
}

/** EXPLAIN (ANALYZE) of the statements the services send (same SQL, literal values). */
async function explainPlans(client: pg.Client, organizationId: string) {
  const explain = async (sql: string) =>
    (
      await client.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, COSTS OFF) ${sql}`, [organizationId])
    ).rows
      .map((row) => row["QUERY PLAN"])
      .join("\n");
  const query = `websearch_to_tsquery('english', 'checkout crashes')`;
  return {
    searchPage: await explain(`
      SELECT t.id FROM "Ticket" t WHERE t."organizationId" = $1 AND t.search @@ ${query}
      ORDER BY ts_rank(t.search, ${query}) DESC, t.number DESC LIMIT 25 OFFSET 0`),
    searchCount: await explain(`
      SELECT count(*)::int FROM "Ticket" t WHERE t."organizationId" = $1 AND t.search @@ ${query}`),
    liveCounts: await explain(`
      SELECT (SELECT count(*) FROM "Ticket" WHERE "organizationId" = $1)::int AS total,
             count(*) FILTER (WHERE type = 'BUG')::int, count(*) FILTER (WHERE priority = 'high')::int,
             count(*) FILTER (WHERE "staleSince" IS NOT NULL)::int
      FROM "Ticket" WHERE "organizationId" = $1 AND status IN ('OPEN', 'IN_PROGRESS')`),
    openPage: await explain(`
      SELECT t.id FROM "Ticket" t WHERE t."organizationId" = $1 AND t.status = 'OPEN'::"TicketStatus"
      ORDER BY t.number DESC LIMIT 25 OFFSET 0`),
  };
}

/* ──────────────────────────────────────── report ──────────────────────────────────────── */

function renderReport(result: {
  seedSeconds: number;
  snapshotMs: number[];
  samples: Record<string, number[]>;
  hits: Record<string, number>;
  plans: Record<string, string>;
}) {
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const row = (label: string, name: string, target = "") => {
    const values = result.samples[name]!;
    const hits = result.hits[name];
    return `| ${label} | ${hits === undefined ? "" : hits} | ${ms(percentile(values, 50))} | **${ms(percentile(values, 95))}** | ${target} |`;
  };
  const excerpt = (plan: string) =>
    plan
      .split("\n")
      .filter((line) => /Scan|Index Cond|Recheck|Limit|Sort|Aggregate|Execution Time|Heap Blocks/.test(line))
      .slice(0, 12)
      .join("\n");
  const samples = result.samples.dashboard!.length;
  return [
    `### Dashboard — ${new Date().toISOString().slice(0, 10)}, PostgreSQL (DATABASE_URL), ${TICKETS.toLocaleString("en")} tickets`,
    "",
    `Server time is the service call measured in-process (its database round trips included; no HTTP, session or tRPC), ${samples} calls per row in ${ROUNDS} alternating rounds. Seeding took ${result.seedSeconds.toFixed(1)} s (reused when present). The stats job computes and stores all figures of this organization in ${ms(percentile(result.snapshotMs, 50))} (median of 3), which is why organizations above 5,000 tickets read response times and the daily chart from the snapshot while counts stay live.`,
    "",
    "| call | matches | p50 | p95 | target |",
    "| --- | --- | --- | --- | --- |",
    row("(a) dashboard load: `ticketStats` + `listTickets` open, page 1", "dashboard", "≤ 50 ms"),
    row("stats alone (live counts + snapshot)", "statsOnly"),
    row("baseline: bare SELECT of the same page", "bareOpenPage"),
    row("(b) search `checkout crashes` (full text, ranked)", "searchCommon", "≤ 100 ms"),
    row("search `kubernetes` (a word in 1 % of descriptions)", "searchRare", "≤ 100 ms"),
    row('search `"shows an error" -android`', "searchPhrase", "≤ 100 ms"),
    row("search `BENCH-4242` (external key)", "searchKey", "≤ 100 ms"),
    row("baseline: former title ILIKE `checkout crashes`", "ilikeCommon"),
    row("baseline: former title ILIKE `Checkout`", "ilikeRare"),
    row("customer's `listMyTickets` search `crashing`", "customerSearch"),
    "",
    "EXPLAIN (ANALYZE) excerpts — search page:",
    "",
    "```",
    excerpt(result.plans.searchPage!),
    "```",
    "",
    "search count:",
    "",
    "```",
    excerpt(result.plans.searchCount!),
    "```",
    "",
    "live counts of the overview:",
    "",
    "```",
    excerpt(result.plans.liveCounts!),
    "```",
    "",
    "first page of open tickets:",
    "",
    "```",
    excerpt(result.plans.openPage!),
    "```",
    "",
  ].join("\n");
}

/** Puts the new section above the newest one, below the page's introduction. */
function writeReport(report: string) {
  const file = "docs/benchmarks.md";
  const existing = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n\n";
  const firstSection = existing.indexOf("\n### ");
  const at = firstSection === -1 ? existing.length : firstSection + 1;
  writeFileSync(file, existing.slice(0, at) + report + "\n" + existing.slice(at));
}
