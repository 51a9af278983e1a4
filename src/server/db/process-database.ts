import type { Database, DatabaseOptions } from "./create-database";

// One instance per process: Next loads server modules into several bundles, and two PGlite
// instances on one data directory would corrupt it.
const slot = globalThis as unknown as {
  ticketbridgeDatabase?: Database;
  ticketbridgeDatabaseOverrides?: () => Partial<DatabaseOptions>;
};

/** The process's one database, made on first use with `options` and any a test preset. */
export function processDatabase(
  create: (options: DatabaseOptions) => Database,
  options: () => DatabaseOptions,
): Database {
  return (slot.ticketbridgeDatabase ??= create({
    ...options(),
    ...slot.ticketbridgeDatabaseOverrides?.(),
  }));
}

/** Tests: options this process's database is made with, set before the app's modules load. */
export function presetDatabaseOptions(overrides: () => Partial<DatabaseOptions>): void {
  slot.ticketbridgeDatabaseOverrides = overrides;
}
