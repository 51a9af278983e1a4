import "server-only";

import { mkdirSync } from "node:fs";

import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";

import { PrismaClient } from "~/generated/prisma/client";
import { applyMigrations } from "~/server/db/migrations";
import {
  hashedStatementName,
  withPreparedStatements,
  type EmbeddedQueries,
} from "~/server/db/pglite-prepared";

/**
 * The database: real PostgreSQL when DATABASE_URL is set, otherwise PGlite (PostgreSQL compiled to
 * WebAssembly) in PGLITE_DATA_DIR — same schema, same SQL, nothing to install.
 */
export type Database = {
  mode: "postgres" | "pglite";
  client: PrismaClient;
  /** Applies pending migrations; resolves to the names applied. */
  migrate(): Promise<string[]>;
  /** The embedded engine, for serving it to other local processes (tests); null on PostgreSQL. */
  pglite: PGlite | null;
  /** The embedded engine's queries as prepared statements, for the job queue; null on PostgreSQL. */
  embeddedQueries: EmbeddedQueries | null;
  close(): Promise<void>;
};

/**
 * Statements are prepared once per connection and run by name from then on, so PostgreSQL parses
 * (and, for most, plans) the same query once instead of on every call. The name is a hash of the
 * text, so one name never stands for two texts. Connections are replaced after a while, which
 * frees the statements of query shapes that are no longer used.
 */
const PREPARED_CONNECTION_LIFETIME_S = 15 * 60;
const statementNames = new Map<string, string>();
function preparedStatementName({ sql }: { sql: string }): string {
  let name = statementNames.get(sql);
  if (name === undefined) {
    // Bounded: query shapes are few, but a runaway one must not grow this without end.
    if (statementNames.size >= 10_000) statementNames.clear();
    name = hashedStatementName("tb_", sql);
    statementNames.set(sql, name);
  }
  return name;
}

export type DatabaseOptions = {
  url?: string;
  pgliteDataDir?: string;
  /** A data directory dumped by PGlite (`dumpDataDir`) for a new embedded database to start from. */
  pgliteSnapshot?: Blob;
  preparedStatements?: boolean;
};

export function createDatabase({
  url,
  pgliteDataDir = "memory://",
  pgliteSnapshot,
  preparedStatements = true,
}: DatabaseOptions): Database {
  let adapter: SqlMigrationAwareDriverAdapterFactory;
  let pglite: PGlite | null = null;
  let embeddedQueries: EmbeddedQueries | null = null;
  if (url) {
    adapter = preparedStatements
      ? new PrismaPg(
          { connectionString: url, maxLifetimeSeconds: PREPARED_CONNECTION_LIFETIME_S },
          { statementNameGenerator: preparedStatementName },
        )
      : new PrismaPg({ connectionString: url });
  } else {
    if (!pgliteDataDir.includes("://")) mkdirSync(pgliteDataDir, { recursive: true });
    pglite = new PGlite(pgliteDataDir, pgliteSnapshot ? { loadDataDir: pgliteSnapshot } : {});
    embeddedQueries = preparedStatements ? withPreparedStatements(pglite) : pglite;
    // The adapter uses only `query`, `exec` and `transaction`, which the prepared wrapper has.
    adapter = new PrismaPGlite(embeddedQueries as PGlite);
  }
  const client = new PrismaClient({ adapter });
  return {
    mode: url ? "postgres" : "pglite",
    client,
    pglite,
    embeddedQueries,
    migrate: () =>
      applyMigrations(adapter, async () => {
        const rows = await client.$queryRaw<{ migration_name: string }[]>`
          SELECT migration_name FROM _prisma_migrations
          WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
        return rows.map((row) => row.migration_name);
      }),
    async close() {
      await client.$disconnect();
      await pglite?.close();
    },
  };
}
