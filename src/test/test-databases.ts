import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { presetDatabaseOptions } from "~/server/db/process-database";

/**
 * On the embedded database, every test file starts from a copy of one migrated PGlite: the global
 * setup migrates it once per run and dumps it to a file, and each file loads that dump into an
 * in-memory PGlite of its own (about a second, instead of eight for initialising and migrating a
 * new one). On PostgreSQL (DATABASE_URL set) the files share that database, already migrated.
 */
const SNAPSHOT_VARIABLE = "TICKETBRIDGE_TEST_PGLITE_SNAPSHOT";

/** Global setup: the migrated dump the files load; resolves to its removal. */
export async function prepareTestDatabases(): Promise<() => Promise<void>> {
  if (process.env.DATABASE_URL) return async () => {};
  // Imported here, not above: test processes load this module for `assignFileDatabase` alone.
  const { createDatabase } = await import("~/server/db/create-database");
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

/** Setup file, before a test file's imports: the file's database starts from the dump. */
export function assignFileDatabase(): void {
  const snapshot = process.env[SNAPSHOT_VARIABLE];
  if (!snapshot || process.env.DATABASE_URL) return;
  // Read only if the file opens the app's database at all.
  presetDatabaseOptions(() => ({ pgliteSnapshot: new Blob([readFileSync(snapshot)]) }));
}
