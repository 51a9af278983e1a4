import pg from "pg";

/**
 * On PostgreSQL (DATABASE_URL set), each of vitest's worker processes gets a database of its own
 * on that server, named after DATABASE_URL's with the worker's number: test files run side by
 * side (one per core), and one file's job workers and sweeps must not pick up another's queued jobs.
 */
const SUFFIX = "_vitest_worker_";

async function withAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Points DATABASE_URL at this worker's database, made on first use. Before the app's modules load. */
export async function switchToWorkerDatabase(): Promise<void> {
  const shared = process.env.DATABASE_URL;
  if (!shared) return;
  const url = new URL(shared);
  const name = `${url.pathname.slice(1)}${SUFFIX}${process.env.VITEST_POOL_ID ?? "1"}`;
  await withAdmin(shared, async (admin) => {
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${name}"`);
  });
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
}

/** Drops the run's worker databases (from the global setup, whose DATABASE_URL is the shared one). */
export async function dropWorkerDatabases(): Promise<void> {
  const shared = process.env.DATABASE_URL;
  if (!shared) return;
  const prefix = `${new URL(shared).pathname.slice(1)}${SUFFIX}`;
  await withAdmin(shared, async (admin) => {
    const { rows } = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE starts_with(datname, $1)",
      [prefix],
    );
    for (const { datname } of rows) await admin.query(`DROP DATABASE "${datname}" WITH (FORCE)`);
  });
}
