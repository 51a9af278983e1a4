import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import pg from "pg";

import { presetDatabaseOptions } from "~/server/db/process-database";

/**
 * Every test file gets a migrated database of its own, on either engine: files run side by side,
 * and one file's job workers and sweeps must not pick up another's queued jobs. The global setup
 * migrates one database per run, and each file starts from a copy of it:
 * - on PostgreSQL (DATABASE_URL set), a database made from a migrated template on that server,
 *   named after DATABASE_URL's with `_vitest_` and a random suffix, all dropped when the run ends;
 * - on the embedded database, an in-memory PGlite loaded from a dump of a migrated one (about a
 *   second, instead of eight for initialising and migrating a new one).
 */
const RUN_SUFFIX = "_vitest_";
const SHARED_URL_VARIABLE = "TICKETBRIDGE_TEST_SHARED_DATABASE_URL";
const SNAPSHOT_VARIABLE = "TICKETBRIDGE_TEST_PGLITE_SNAPSHOT";

/** Global setup: the migrated database the files copy; resolves to its removal. */
export async function prepareTestDatabases(): Promise<() => Promise<void>> {
  // Imported here, not above: test processes load this module for `assignFileDatabase` alone.
  const { createDatabase } = await import("~/server/db/create-database");
  const shared = process.env.DATABASE_URL;
  if (shared) {
    process.env[SHARED_URL_VARIABLE] = shared;
    const template = templateName(shared);
    await onServer(shared, async (admin) => {
      await dropRunDatabases(admin, shared);
      await admin.query(`CREATE DATABASE "${template}"`);
    });
    const database = createDatabase({ url: withDatabase(shared, template) });
    await database.migrate();
    await database.close();
    // PostgreSQL copies a database only while no session is connected to it.
    await onServer(shared, async (admin) => {
      await admin.query(`ALTER DATABASE "${template}" WITH ALLOW_CONNECTIONS false`);
      await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [
        template,
      ]);
    });
    return () => onServer(shared, (admin) => dropRunDatabases(admin, shared));
  }
  const database = createDatabase({ pgliteDataDir: "memory://" });
  await database.migrate();
  const dump = await database.pglite!.dumpDataDir("none");
  await database.close();
  const folder = mkdtempSync(path.join(tmpdir(), "tb-test-pglite-"));
  const file = path.join(folder, "migrated.tar");
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  process.env[SNAPSHOT_VARIABLE] = file;
  return async () => rmSync(folder, { recursive: true, force: true });
}

/**
 * Setup file, before a test file's imports (the app's configuration reads DATABASE_URL once):
 * that file's copy of the migrated database.
 */
export async function assignFileDatabase(): Promise<void> {
  const shared = process.env[SHARED_URL_VARIABLE];
  if (shared) {
    const name = `${databaseName(shared)}${RUN_SUFFIX}${randomBytes(6).toString("hex")}`;
    await onServer(shared, (admin) =>
      admin.query(`CREATE DATABASE "${name}" TEMPLATE "${templateName(shared)}"`),
    );
    process.env.DATABASE_URL = withDatabase(shared, name);
    return;
  }
  const snapshot = process.env[SNAPSHOT_VARIABLE];
  // Read only if the file opens the app's database at all.
  if (snapshot) presetDatabaseOptions(() => ({ pgliteSnapshot: new Blob([readFileSync(snapshot)]) }));
}

const databaseName = (url: string) => new URL(url).pathname.slice(1);
const templateName = (url: string) => `${databaseName(url)}${RUN_SUFFIX}template`;

function withDatabase(url: string, name: string) {
  const copy = new URL(url);
  copy.pathname = `/${name}`;
  return copy.toString();
}

async function onServer<T>(url: string, work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

async function dropRunDatabases(admin: pg.Client, shared: string) {
  const { rows } = await admin.query<{ datname: string }>(
    "SELECT datname FROM pg_database WHERE starts_with(datname, $1)",
    [`${databaseName(shared)}${RUN_SUFFIX}`],
  );
  for (const { datname } of rows) await admin.query(`DROP DATABASE "${datname}" WITH (FORCE)`);
}
