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

/**
 * A second model's columns named `prefix.column`, for a statement that returns its row beside
 * another model's in one result; `splitPrefixed` takes them apart again.
 */
export function prefixedColumnsOf(scalarFields: Record<string, string>, prefix: string): Prisma.Sql {
  return Prisma.raw(
    Object.values(scalarFields)
      .map((column) => `"${column}" AS "${prefix}.${column}"`)
      .join(", "),
  );
}

/** A result row taken apart: the columns named `prefix.…` (without the prefix), and the rest. */
export function splitPrefixed(row: Record<string, unknown>, prefix: string) {
  const rest: Record<string, unknown> = {};
  const prefixed: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) {
    if (name.startsWith(`${prefix}.`)) prefixed[name.slice(prefix.length + 1)] = value;
    else rest[name] = value;
  }
  return { rest, prefixed };
}
