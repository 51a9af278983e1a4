import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createDatabase, type Database } from "~/server/db/create-database";

/**
 * The embedded default (PGlite) serves one process; everything the app writes goes through one
 * instance. These tests prove that concurrent writes all land and that interactive transactions
 * stay isolated from each other, whatever DATABASE_URL says for the rest of the suite.
 */
describe("embedded database under concurrency", () => {
  let embedded: Database;

  beforeAll(async () => {
    embedded = createDatabase({ pgliteDataDir: "memory://" });
    await embedded.migrate();
  }, 120_000);

  afterAll(async () => {
    await embedded.close();
  });

  it("persists 50 concurrent writes", async () => {
    const slugs = Array.from({ length: 50 }, (_, index) => `concurrent-${index}`);
    await Promise.all(
      slugs.map((slug) => embedded.client.organization.create({ data: { name: slug, slug } })),
    );
    const stored = await embedded.client.organization.findMany({ where: { slug: { in: slugs } } });
    expect(stored).toHaveLength(50);
  });

  it("isolates 50 concurrent interactive transactions doing read-modify-write", async () => {
    const organization = await embedded.client.organization.create({ data: { name: "0", slug: "counter" } });
    // Each transaction reads the counter, yields, then writes counter + 1. Without isolation,
    // increments would be lost; with it, every one of the 50 counts.
    await Promise.all(
      Array.from({ length: 50 }, () =>
        embedded.client.$transaction(async (tx) => {
          const current = await tx.organization.findUniqueOrThrow({ where: { id: organization.id } });
          await new Promise((resolve) => setTimeout(resolve, 1));
          await tx.organization.update({
            where: { id: organization.id },
            data: { name: String(Number(current.name) + 1) },
          });
        }),
      ),
    );
    const final = await embedded.client.organization.findUniqueOrThrow({ where: { id: organization.id } });
    expect(final.name).toBe("50");
  });

  it("rolls back a failed transaction completely while others commit", async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, index) =>
        embedded.client.$transaction(async (tx) => {
          await tx.organization.create({ data: { name: `tx-${index}`, slug: `tx-${index}` } });
          if (index % 2 === 1) throw new Error("abort");
        }),
      ),
    );
    expect(results.filter((result) => result.status === "rejected")).toHaveLength(5);
    const stored = await embedded.client.organization.findMany({ where: { slug: { startsWith: "tx-" } } });
    expect(stored.map((org) => org.slug).sort()).toEqual(["tx-0", "tx-2", "tx-4", "tx-6", "tx-8"]);
  });

  it("keeps _prisma_migrations as prisma migrate writes it", async () => {
    const rows = await embedded.client.$queryRaw<
      { migration_name: string; checksum: string; finished_at: Date }[]
    >`
      SELECT migration_name, checksum, finished_at FROM _prisma_migrations`;
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
    }
    expect(await embedded.migrate()).toEqual([]);
  });
});
