import { describe, expect, it } from "vitest";

import { database, db } from "~/server/db";
import { setupTestDatabase } from "~/test/db";

setupTestDatabase();

describe.runIf(database.mode === "postgres")("prepared statements on PostgreSQL", () => {
  it("prepares a query once per connection under a name derived from its text, and runs it by that name again", async () => {
    const prepared = await db.$transaction(async (tx) => {
      // One transaction: the same connection for every statement below.
      for (let run = 0; run < 3; run++) await tx.$queryRaw`SELECT ${run}::int AS prepared_check`;
      return tx.$queryRaw<{ name: string }[]>`
        SELECT name FROM pg_prepared_statements WHERE statement LIKE '%AS prepared_check'`;
    });
    expect(prepared).toHaveLength(1);
    expect(prepared[0]!.name).toMatch(/^tb_[\w-]{27}$/);
  });
});
