import type { Database, DatabaseOptions } from "./create-database";

// One instance per process: Next loads server modules into several bundles, and two PGlite
// instances on one data directory would corrupt it.
const slot = globalThis as unknown as {
  ticketbridgeDatabase?: Database;
  ticketbridgeDatabaseOptions?: () => DatabaseOptions;
};

/** The process's one database, made on first use with `options` (or those a test preset). */
export function processDatabase(
  create: (options: DatabaseOptions) => Database,
  options: () => DatabaseOptions,
): Database {
  return (slot.ticketbridgeDatabase ??= create((slot.ticketbridgeDatabaseOptions ?? options)()));
}

/** Tests: the options this process's database will be made with, set before the app's modules load. */
export function presetDatabaseOptions(options: () => DatabaseOptions): void {
  slot.ticketbridgeDatabaseOptions = options;
}
