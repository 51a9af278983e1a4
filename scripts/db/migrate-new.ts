/**
 * `npm run db:migrate:new -- <name>`: writes prisma/migrations/<timestamp>_<name>/migration.sql
 * from the difference between prisma/schema.prisma and the existing migrations. The history is
 * replayed on a throwaway in-memory PostgreSQL (PGlite), so no database needs to be running.
 */
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";

import { createMigration } from "../../src/server/db/migrations";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/i.test(name)) {
  console.error("Usage: npm run db:migrate:new -- <name>   (letters, digits and underscores)");
  process.exit(2);
}

const shadow = new PGlite("memory://");
try {
  const migration = await createMigration(name, new PrismaPGlite(shadow));
  if (migration) {
    console.log(`Created ${migration.directory}\n\n${migration.script}`);
  } else {
    console.log("prisma/schema.prisma matches the migrations: nothing to create.");
  }
} finally {
  await shadow.close();
}
