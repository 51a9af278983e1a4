/**
 * `npm run bench:tickets` — two measurements, each side by side with its baseline in one run:
 *
 *  (a) internal ticket creation through the app's tRPC endpoint (`ticket.create`: session check,
 *      validation, numbering, audit) against a bare route handler doing one insert, on the same
 *      server and database: requests per second and their ratio;
 *  (b) ticket + Jira issue creation with the sandbox adding 100 ms to every Jira call, at 1 and 20
 *      concurrent users: p50/p95 latency and the app's overhead above the time spent in Jira, beside
 *      floors making the same two Jira calls: a bare route (what every creation pays), the same
 *      route inserting one ticket first (the least a creation can cost) and a plain Node server.
 *
 * It builds the app into .next-bench (or BENCH_DIST_DIR), starts it in production mode against a
 * fresh embedded database (or DATABASE_URL) and the sandbox in a process of its own, and prints a
 * Markdown report (also written to docs/benchmarks.md with --write).
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import pg from "pg";

import { DEMO_USERS } from "../../sandbox/fixtures";

const APP_PORT = Number(process.env.BENCH_APP_PORT ?? 3200);
const SOCKET_PORT = Number(process.env.BENCH_PGLITE_PORT ?? 5600);
const SANDBOX_PORT = Number(process.env.BENCH_SANDBOX_PORT ?? 4610);
const PLAIN_FLOOR_PORT = Number(process.env.BENCH_PLAIN_PORT ?? 4620);
/** The build measured; another folder (e.g. the commit before, built beside it) compares two builds. */
const DIST_DIR = process.env.BENCH_DIST_DIR ?? ".next-bench";
const APP = `http://localhost:${APP_PORT}`;
const JIRA_LATENCY_MS = 100;
/** The sandbox's demo site, where the bench's integration points. */
const JIRA_SITE_PATH = "/site/acme-demo";
const ROUNDS = 8;
/**
 * Ticket + Jira creations before (b)'s rows, so they measure a server in its steady state: after
 * 100 a creation still took twice the CPU it takes after 3,000 (V8 was still optimizing).
 */
const WARM_UP_CREATIONS = 3000;
/** How long (b) takes at most, warm-up included, on the slowest host seen. */
const LATENCY_PART_MS = 150_000;
/** The two Jira operations of a creation: create the issue, then fetch it for its status. */
const CREATION_OPERATIONS = new Set(["createIssue", "getIssue"]);

/** The app's busiest scheduled jobs (polling Jira, statistics) start every five minutes (UTC). */
const SCHEDULE_PERIOD_MS = 5 * 60_000;
/** pg-boss looks at its schedules every 30 s and its workers at the queue every few seconds. */
const SCHEDULE_START_WITHIN_MS = 40_000;
const CLOCK_TICKS_PER_SECOND = Number(spawnSync("getconf", ["CLK_TCK"]).stdout?.toString().trim()) || 100;
const args = new Set(process.argv.slice(2));
const ada = DEMO_USERS[0]!;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Jira (the sandbox) runs in a process of its own, as a remote Jira would: sharing the bench
// client's thread would delay the client's clock and the sandbox's answers alike.
const sandbox = await startScriptProcess("sandbox/server.ts", "sandbox", SANDBOX_PORT, {
  SANDBOX_PORT: String(SANDBOX_PORT),
});
const plainFloor = await startScriptProcess(
  "scripts/bench/plain-floor-server.ts",
  "plain-floor",
  PLAIN_FLOOR_PORT,
  {
    BENCH_PLAIN_PORT: String(PLAIN_FLOOR_PORT),
    ATLASSIAN_API_URL: sandbox.url,
  },
);
// On PostgreSQL the run gets a database of its own, dropped afterwards: background jobs working
// through an older database's data would otherwise share the CPU with the measured requests.
const benchDatabase = process.env.DATABASE_URL ? await createBenchDatabase(process.env.DATABASE_URL) : null;
const databaseUrl = benchDatabase?.url ?? `postgresql://postgres:postgres@127.0.0.1:${SOCKET_PORT}/postgres`;

if (!args.has("--no-build") || !existsSync(`${DIST_DIR}/BUILD_ID`)) {
  console.error(`Building the app into ${DIST_DIR} …`);
  const build = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
    env: { ...process.env, NEXT_DIST_DIR: DIST_DIR, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (build.status !== 0) throw new Error("next build failed");
}

const server = spawn(
  process.execPath,
  [
    ...(process.env.BENCH_PROFILE ? ["--cpu-prof", "--cpu-prof-dir=" + process.env.BENCH_PROFILE] : []),
    "node_modules/next/dist/bin/next",
    "start",
    "--port",
    String(APP_PORT),
  ],
  {
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_DIST_DIR: DIST_DIR,
      NEXT_TELEMETRY_DISABLED: "1",
      AUTH_URL: APP,
      AUTH_SECRET: randomBytes(32).toString("base64"),
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      ATLASSIAN_CLIENT_ID: "ticketbridge-dev",
      ATLASSIAN_CLIENT_SECRET: "ticketbridge-dev-secret",
      ATLASSIAN_AUTHORIZATION_URL: `${sandbox.url}/authorize`,
      ATLASSIAN_TOKEN_URL: `${sandbox.url}/oauth/token`,
      ATLASSIAN_API_URL: sandbox.url,
      OUTBOUND_ALLOWED_HOSTS: new URL(sandbox.url).host,
      BENCH_ROUTES: "1",
      // Every request still passes the shared limiter (its statement is part of the measured cost).
      RATE_LIMIT_STAFF_PER_MINUTE: "1000000",
      LOG_LEVEL: "warn",
      ...(benchDatabase
        ? { DATABASE_URL: benchDatabase.url }
        : {
            PGLITE_DATA_DIR: mkdtempSync(path.join(tmpdir(), "tb-bench-")),
            PGLITE_SOCKET_PORT: String(SOCKET_PORT),
          }),
    },
    stdio: ["ignore", "ignore", "inherit"],
  },
);
const stopServer = () => server.exitCode === null && server.kill("SIGTERM");
process.on("exit", stopServer);

try {
  await waitFor(`${APP}/api/health`);
  const { cookie, organizationId } = await seedSession();
  const integrationId = await connectJira(cookie);
  // --only=latency (or throughput) runs one part, e.g. while profiling the server.
  const only = [...args].find((arg) => arg.startsWith("--only="))?.slice("--only=".length);
  const throughput = only === "latency" ? null : await measureThroughput(cookie, organizationId);
  const latency = only === "throughput" ? null : await measureLatency(cookie, integrationId, organizationId);
  const report = renderReport(throughput, latency);
  console.log(report);
  if (args.has("--write")) writeReport(report);
} finally {
  stopServer();
  sandbox.close();
  plainFloor.close();
  await benchDatabase?.drop(() => server.exitCode !== null || server.signalCode !== null);
}

/* ───────────────────────────────────────── setup ───────────────────────────────────────── */

async function waitFor(url: string) {
  for (let attempt = 0; attempt < 240; attempt++) {
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await sleep(500);
  }
  throw new Error(`${url} did not come up`);
}

/**
 * A TypeScript server in a process of its own (the sandbox as `npm run sandbox` starts it, or the
 * plain floor), on `port`, its CPU profile (with BENCH_PROFILE) under `name`; resolves once it
 * says it listens.
 */
async function startScriptProcess(script: string, name: string, port: number, env: Record<string, string>) {
  const profile = process.env.BENCH_PROFILE
    ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}/${name}`]
    : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", script], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const close = () => child.exitCode === null && child.kill("SIGTERM");
  process.on("exit", close);
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${script} exited (${code}) before listening`)));
    child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("listening") && resolve());
  });
  return { url: `http://localhost:${port}`, pid: child.pid, close };
}

/** The sandbox's log of the requests it answered (its last 1000). */
async function sandboxRequests() {
  const response = await fetch(`${sandbox.url}/__sandbox/requests?limit=1000`);
  return (await response.json()) as { path: string; operationId: string | null; durationMs: number }[];
}

/**
 * Holds a measurement of `spanMs` back until it cannot overlap the five-minute jobs, and the app
 * is idle. Those jobs work through everything the bench has made (thousands of tickets and
 * issues) and, left alone, land in whichever row or round is running at the time.
 */
async function clearOfScheduledJobs(spanMs: number) {
  const sinceMark = Date.now() % SCHEDULE_PERIOD_MS;
  const untilMark = SCHEDULE_PERIOD_MS - sinceMark;
  if (untilMark < spanMs + 2_000) await sleep(untilMark + SCHEDULE_START_WITHIN_MS);
  else if (sinceMark < SCHEDULE_START_WITHIN_MS) await sleep(SCHEDULE_START_WITHIN_MS - sinceMark);
  // Idle: under 5 % of a core in a second (the job workers' polling of their queues stays below).
  for (let waited = 0; waited < 120_000; waited += 1_000) {
    const before = cpuMs(server.pid);
    await sleep(1_000);
    const after = cpuMs(server.pid);
    if (before === null || after === null || after - before < 50) return;
  }
}

/** A fresh database on the server of `url`, and how to drop it once the app has exited. */
async function createBenchDatabase(url: string) {
  const name = `ticketbridge_bench_${randomBytes(4).toString("hex")}`;
  const admin = async <T>(work: (client: pg.Client) => Promise<T>) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const benchUrl = new URL(url);
  benchUrl.pathname = `/${name}`;
  return {
    url: benchUrl.toString(),
    async drop(appExited: () => boolean) {
      for (let waited = 0; !appExited() && waited < 10_000; waited += 100) await sleep(100);
      await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** A member with a database session, as a sign-in would leave it. */
async function seedSession() {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const id = (prefix: string) => `${prefix}${randomBytes(8).toString("hex")}`;
    const [userId, organizationId, token] = [id("bench_user_"), id("bench_org_"), id("")];
    await client.query(`INSERT INTO "User" (id, name, email, "updatedAt") VALUES ($1, 'Bench', $2, now())`, [
      userId,
      `${userId}@bench.test`,
    ]);
    await client.query(
      `INSERT INTO "Organization" (id, name, slug, "updatedAt") VALUES ($1, 'Bench', $1, now())`,
      [organizationId],
    );
    await client.query(
      `INSERT INTO "Membership" (id, "organizationId", "userId", role) VALUES ($1, $2, $3, 'OWNER')`,
      [id("m_"), organizationId, userId],
    );
    await client.query(
      `INSERT INTO "Session" ("sessionToken", "userId", expires, "updatedAt") VALUES ($1, $2, now() + interval '1 day', now())`,
      [token, userId],
    );
    return { cookie: `authjs.session-token=${token}`, organizationId };
  } finally {
    await client.end();
  }
}

async function trpc<T>(cookie: string, procedure: string, input: unknown): Promise<T> {
  const response = await fetch(`${APP}/api/trpc/${procedure}`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie },
    body: JSON.stringify({ json: input }),
  });
  const body = (await response.json()) as { result?: { data: { json: T } }; error?: unknown };
  if (!response.ok || !body.result)
    throw new Error(`${procedure}: ${response.status} ${JSON.stringify(body.error)}`);
  return body.result.data.json;
}

async function connectJira(cookie: string) {
  const integration = await trpc<{ id: string }>(cookie, "integration.create", {
    provider: "jira",
    mode: "cloud_api_token",
    name: "Bench Jira",
    config: { baseUrl: `${sandbox.url}${JIRA_SITE_PATH}`, projectKey: "DEMO", defaultIssueType: "Task" },
    credentials: { email: ada.email, apiToken: ada.apiToken },
  });
  const test = await trpc<{ newStatus: string }>(cookie, "integration.test", { id: integration.id });
  if (test.newStatus !== "ACTIVE") throw new Error(`integration did not activate: ${JSON.stringify(test)}`);
  return integration.id;
}

/* ─────────────────────────────────────── measuring ─────────────────────────────────────── */

/** CPU time process `pid` has used so far, in ms (from /proc, so Linux only; null elsewhere). */
function cpuMs(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/**
 * The machine's CPU ticks so far, all cores: elapsed, and stolen by the host (the hypervisor ran
 * something else while this machine had work). From /proc/stat; null off Linux.
 */
function machineTicks(): { elapsed: number; stolen: number } | null {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1, 9);
    const ticks = fields.map(Number);
    return { elapsed: ticks.reduce((sum, tick) => sum + tick, 0), stolen: ticks[7]! };
  } catch {
    return null;
  }
}

/** The share of the machine's CPU time the host took between two `machineTicks` readings. */
function stolenShare(before: ReturnType<typeof machineTicks>, after: ReturnType<typeof machineTicks>) {
  if (!before || !after || after.elapsed === before.elapsed) return null;
  return (after.stolen - before.stolen) / (after.elapsed - before.elapsed);
}

/**
 * Runs `total` calls with `concurrency` in flight; returns each call's latency in ms, the run's
 * duration, the CPU time of the server answering them (the app's unless `serverPid` says another)
 * and of the sandbox during it, and the share the host stole.
 */
async function run(
  total: number,
  concurrency: number,
  call: (index: number) => Promise<void>,
  serverPid = server.pid,
) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const before = { server: cpuMs(serverPid), sandbox: cpuMs(sandbox.pid), machine: machineTicks() };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const index = next++;
        const begin = performance.now();
        await call(index);
        latencies.push(performance.now() - begin);
      }
    }),
  );
  const after = { server: cpuMs(serverPid), sandbox: cpuMs(sandbox.pid), machine: machineTicks() };
  const used = (key: "server" | "sandbox") => {
    const [start, end] = [before[key], after[key]];
    return start === null || end === null ? null : end - start;
  };
  return {
    latencies,
    seconds: (performance.now() - started) / 1000,
    serverCpu: used("server"),
    sandboxCpu: used("sandbox"),
    stolen: stolenShare(before.machine, after.machine),
  };
}

function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function measureThroughput(cookie: string, organizationId: string) {
  let number = 1_000_000;
  const viaTrpc = () =>
    trpc(cookie, "ticket.create", { title: "Bench ticket", category: "general", priority: "low" }).then(
      () => undefined,
    );
  const bare = async () => {
    const response = await fetch(`${APP}/api/bench/tickets`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ organizationId, title: "Bench ticket", number: number++ }),
    });
    if (!response.ok) throw new Error(`bare route: ${response.status}`);
  };
  // Short rounds, alternating, so drift on a shared machine hits both sides alike.
  const requests = Number(process.env.BENCH_REQUESTS ?? 150);
  const concurrency = 10;
  await run(50, concurrency, viaTrpc);
  await run(50, concurrency, bare);
  const side = () => ({ requests: 0, seconds: 0, serverCpu: 0 as number | null });
  const totals = { trpc: side(), bare: side() };
  const add = (total: ReturnType<typeof side>, measured: Awaited<ReturnType<typeof run>>) => {
    total.requests += requests;
    total.seconds += measured.seconds;
    total.serverCpu =
      total.serverCpu === null || measured.serverCpu === null ? null : total.serverCpu + measured.serverCpu;
  };
  const machineBefore = machineTicks();
  for (let round = 0; round < ROUNDS; round++) {
    await clearOfScheduledJobs(3_000);
    add(totals.trpc, await run(requests, concurrency, viaTrpc));
    add(totals.bare, await run(requests, concurrency, bare));
  }
  const stolen = stolenShare(machineBefore, machineTicks());
  const rate = (total: ReturnType<typeof side>) => total.requests / total.seconds;
  const cpuPerRequest = (total: ReturnType<typeof side>) =>
    total.serverCpu === null ? null : total.serverCpu / total.requests;
  return {
    concurrency,
    requests: totals.trpc.requests,
    trpcRate: rate(totals.trpc),
    bareRate: rate(totals.bare),
    ratio: rate(totals.trpc) / rate(totals.bare),
    trpcCpu: cpuPerRequest(totals.trpc),
    bareCpu: cpuPerRequest(totals.bare),
    stolen,
  };
}

async function measureLatency(cookie: string, integrationId: string, organizationId: string) {
  const create = async () => {
    const result = await trpc<{ integrationResult: { state: string } }>(cookie, "ticket.create", {
      title: "Bench ticket with Jira",
      category: "general",
      priority: "medium",
      integrationId,
    });
    if (result.integrationResult.state !== "CREATED")
      throw new Error(`not created: ${JSON.stringify(result)}`);
  };
  // The warm-up and every row after it between two runs of the five-minute jobs, the rows as soon
  // after the warm-up as in earlier runs (its creations' safety-net jobs come due later).
  await clearOfScheduledJobs(LATENCY_PART_MS);
  // A running server has long since compiled its hot paths: measure that, not the first calls.
  await run(WARM_UP_CREATIONS, 20, create);
  await fetch(`${sandbox.url}/__sandbox/faults`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ latencyMs: JIRA_LATENCY_MS }),
  });
  /**
   * The creation's Jira calls made during `action`, with the time the sandbox spent answering
   * them. Other Jira calls in the meantime (the app's background work) are counted apart.
   */
  const jiraTimeDuring = async <T>(action: () => Promise<T>) => {
    const last = JSON.stringify((await sandboxRequests()).at(-1));
    const result = await action();
    const log = await sandboxRequests();
    const calls = log
      .slice(log.findLastIndex((entry) => JSON.stringify(entry) === last) + 1)
      .filter((entry) => entry.path.includes("/rest/api/"));
    const own = calls.filter((entry) => CREATION_OPERATIONS.has(entry.operationId ?? ""));
    return {
      result,
      calls: own.length,
      otherCalls: calls.length - own.length,
      ms: own.reduce((sum, entry) => sum + entry.durationMs, 0),
    };
  };
  const probe = await jiraTimeDuring(create);

  // The floors: a bare route making the same two Jira calls and nothing else, or after one insert.
  const floorRequest = {
    site: JIRA_SITE_PATH,
    authorization: `Basic ${Buffer.from(`${ada.email}:${ada.apiToken}`).toString("base64")}`,
    fields: { project: { key: "DEMO" }, issuetype: { name: "Task" }, summary: "Bench floor issue" },
  };
  let ticketNumber = 2_000_000; // apart from the app's numbers and (a)'s bare route's
  const floorCalls =
    (url: string, withTicket = false) =>
    async () => {
      const ticket = withTicket
        ? { organizationId, number: ticketNumber++, title: "Bench floor ticket" }
        : undefined;
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...floorRequest, ticket }),
      });
      if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
      await response.text();
    };
  const bareCalls = floorCalls(`${APP}/api/bench/jira-calls`);
  const insertAndCalls = floorCalls(`${APP}/api/bench/jira-calls`, true);
  const plainCalls = floorCalls(plainFloor.url);
  const measureRow = async (users: number, count: number, call: () => Promise<void>, serverPid?: number) => {
    const measured = await jiraTimeDuring(() => run(count, users, call, serverPid));
    if (measured.otherCalls > 0)
      console.error(`${measured.otherCalls} other Jira calls during the ${users}-user row (background work)`);
    const { latencies, seconds, serverCpu, sandboxCpu, stolen } = measured.result;
    // The overhead is what the app adds to the time Jira (the sandbox) took for the calls.
    const inJira = measured.ms / count;
    const p50 = percentile(latencies, 50);
    const p95 = percentile(latencies, 95);
    return {
      users,
      count,
      p50,
      p95,
      inJira,
      overheadP50: p50 - inJira,
      overheadP95: p95 - inJira,
      serverCpuPerRequest: serverCpu === null ? null : serverCpu / count,
      serverBusy: serverCpu === null ? null : serverCpu / (seconds * 1000),
      sandboxCpuPerRequest: sandboxCpu === null ? null : sandboxCpu / count,
      stolen,
    };
  };

  // The creation rows first, one after the other as in earlier runs, so that they stay comparable;
  // the floor's own traffic in between slowed the first 20 creations after it by tens of ms.
  const userCounts = (process.env.BENCH_USERS ?? "1,20").split(",").map(Number);
  const countFor = (users: number) => (users === 1 ? 30 : 200);
  const rows = [];
  for (const users of userCounts)
    rows.push({ ...(await measureRow(users, countFor(users), create)), path: "`ticket.create` with Jira" });
  // The floor route, its insert and its connections warmed up, as the creation's were.
  await run(40, 20, bareCalls);
  await run(40, 20, insertAndCalls);
  for (const users of userCounts)
    rows.push({
      ...(await measureRow(users, countFor(users), bareCalls)),
      path: "bare route, the same two Jira calls (floor)",
    });
  for (const users of userCounts)
    rows.push({
      ...(await measureRow(users, countFor(users), insertAndCalls)),
      path: "bare route, one ticket insert then the same two calls (least creation)",
    });
  await run(40, 20, plainCalls, plainFloor.pid);
  for (const users of userCounts)
    rows.push({
      ...(await measureRow(users, countFor(users), plainCalls, plainFloor.pid)),
      path: "plain Node server, no framework, the same two calls (machine floor)",
    });
  await fetch(`${sandbox.url}/__sandbox/faults`, { method: "DELETE" });
  return { jiraCalls: probe.calls, rows, healthP50: await healthCheckLatency() };
}

/**
 * What any request costs before the app does anything: one user calling the health check (one
 * `SELECT 1`) at the pace of the 1-user run. Part of every overhead above, whatever the app does.
 */
async function healthCheckLatency() {
  const latencies: number[] = [];
  for (let call = 0; call < 40; call++) {
    const begin = performance.now();
    const response = await fetch(`${APP}/api/health`);
    await response.text();
    if (call >= 10) latencies.push(performance.now() - begin);
    await sleep(200); // the idle time a 1-user creation spends waiting for Jira
  }
  return percentile(latencies, 50);
}

/* ──────────────────────────────────────── report ──────────────────────────────────────── */

type Throughput = Awaited<ReturnType<typeof measureThroughput>>;
type Latency = Awaited<ReturnType<typeof measureLatency>>;

function renderReport(throughput: Throughput | null, latency: Latency | null) {
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const cpu = (value: number | null) => (value === null ? "—" : ms(value));
  const share = (value: number | null) => (value === null ? "—" : `${(value * 100).toFixed(0)} %`);
  const database = benchDatabase
    ? "PostgreSQL (a fresh database on DATABASE_URL's server)"
    : "embedded PGlite";
  const lines = [`### Tickets — ${new Date().toISOString().slice(0, 10)}, ${database}`, ""];
  if (throughput) {
    lines.push(
      `(a) Internal ticket creation, ${throughput.requests} requests per side, ${throughput.concurrency} in flight, in ${ROUNDS} alternating rounds:`,
      "",
      "| path | requests/s | app server CPU per request |",
      "| --- | --- | --- |",
      `| tRPC \`ticket.create\` (session, validation, numbering, audit) | ${throughput.trpcRate.toFixed(0)} | ${cpu(throughput.trpcCpu)} |`,
      `| bare route handler, one insert (baseline) | ${throughput.bareRate.toFixed(0)} | ${cpu(throughput.bareCpu)} |`,
      `| **ratio** (target ≥ 0.8) | **${throughput.ratio.toFixed(2)}** | |`,
      "",
      `Host steal during (a): ${share(throughput.stolen)} of the machine's CPU time.`,
      "",
    );
  }
  if (latency) {
    lines.push(
      `(b) Ticket + Jira issue, after ${WARM_UP_CREATIONS} warm-up creations, sandbox adding ${JIRA_LATENCY_MS} ms to each Jira call; one creation makes ${latency.jiraCalls} Jira calls. Time in Jira is what the sandbox measured answering those calls (the added latency plus its own work), per request; the overhead is the rest. The warm-up and the rows run between two passes of the app's five-minute jobs (polling Jira, statistics), which would otherwise land in one row at random. Below them, in the same run, floors making the same two Jira calls (create, then fetch) and nothing else: a bare route in the app's server, which every creation costs whatever the app does; the same route inserting a ticket first (one insert, committed on its own, no session, validation or audit), the least a creation that keeps an internal record can do; and a plain Node server with no framework in a process of its own, which is what this machine's HTTP round trips cost:`,
      "",
      "| users | path | requests | p50 | p95 | in Jira per request | overhead p50 (target ≤ 10 ms) | overhead p95 | app server CPU per request | app server busy | sandbox CPU per request | host steal |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
      ...latency.rows.map(
        (row) =>
          `| ${row.users} | ${row.path} | ${row.count} | ${ms(row.p50)} | ${ms(row.p95)} | ${ms(row.inJira)} | **${ms(row.overheadP50)}** | ${ms(row.overheadP95)} | ${cpu(row.serverCpuPerRequest)} | ${share(row.serverBusy)} | ${cpu(row.sandboxCpuPerRequest)} | ${share(row.stolen)} |`,
      ),
      "",
      "App server CPU is all the CPU time the answering process used during the row (the app's, its background jobs included; the plain server's in its rows) per request; busy is that time as a share of the row's duration (100 % is one core). Sandbox CPU is the same for the sandbox's process: Jira's work, not the app's, but done on the same two cores. Host steal is the share of the machine's CPU time (both cores) the host gave to something else while this machine had work to run (`/proc/stat`); every process here waits through it.",
      "",
      `For scale: one request to the health check (\`GET /api/health\`, one \`SELECT 1\`), sent at the 1-user pace, takes ${ms(latency.healthP50)} (p50) on the same server. Every creation pays that once.`,
      "",
    );
  }
  return lines.join("\n");
}

/** Puts the new section above the newest one, below the page's introduction. */
function writeReport(report: string) {
  const file = "docs/benchmarks.md";
  const existing = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n\n";
  const firstSection = existing.indexOf("\n### ");
  const at = firstSection === -1 ? existing.length : firstSection + 1;
  writeFileSync(file, existing.slice(0, at) + report + "\n" + existing.slice(at));
}
