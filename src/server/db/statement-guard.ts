import { Prisma } from "~/generated/prisma/client";

/**
 * A condition one statement checks before it writes: when it does not hold, the statement raises
 * `refusal` and nothing of it is written, its data-modifying CTEs included (they run whether or
 * not the rest reads them, so filtering rows out would not stop them). `ticketbridge_require` is
 * created by a migration.
 */
export function requireInStatement(condition: Prisma.Sql, refusal: string): Prisma.Sql {
  return Prisma.sql`ticketbridge_require(${condition}, ${refusal})`;
}

/** Whether `error` is the refusal a guarded statement raised. */
export function isRefusal(error: unknown, refusal: string): boolean {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError) || error.code !== "P2010") return false;
  const cause = (
    error.meta?.driverAdapterError as { cause?: { code?: string; message?: string } } | undefined
  )?.cause;
  return cause?.code === "P0001" && cause.message === refusal;
}
