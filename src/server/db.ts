import "server-only";

import { env } from "~/env";

import { createDatabase, type Database } from "./db/create-database";
import { processDatabase } from "./db/process-database";

// `next build` evaluates route modules to read their config; it must not open the real database.
const building = process.env.NEXT_PHASE === "phase-production-build";

export const database: Database = processDatabase(createDatabase, () =>
  building
    ? { pgliteDataDir: "memory://" }
    : {
        url: env.DATABASE_URL,
        pgliteDataDir: env.PGLITE_DATA_DIR,
        preparedStatements: env.DATABASE_PREPARED_STATEMENTS,
      },
);

export const db = database.client;
