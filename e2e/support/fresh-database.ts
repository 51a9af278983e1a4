import pg from "pg";

import { E2E } from "./environment";

/** Drops and creates the run's own PostgreSQL database (see environment.ts); the app migrates it. */
const server = E2E.serverDatabaseUrl;
if (!server) throw new Error("fresh-database.ts is for PostgreSQL runs: set DATABASE_URL.");
const name = new URL(E2E.databaseUrl).pathname.slice(1);
const client = new pg.Client({ connectionString: server });
await client.connect();
try {
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.query(`CREATE DATABASE "${name}"`);
} finally {
  await client.end();
}
