import { Prisma } from "~/generated/prisma/client";

/**
 * A model's columns as Prisma knows them, for raw SQL that returns whole rows. Named rather than
 * `*`: a statement prepared by a running process keeps its result shape when a migration adds a
 * column (PostgreSQL refuses to run a prepared `*` whose columns changed), and columns Prisma does
 * not read (a generated search document) stay out.
 */
export function columnsOf(scalarFields: Record<string, string>): Prisma.Sql {
  return Prisma.raw(
    Object.values(scalarFields)
      .map((column) => `"${column}"`)
      .join(", "),
  );
}
