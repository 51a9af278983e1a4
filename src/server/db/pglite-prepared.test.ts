import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { withPreparedStatements } from "./pglite-prepared";

/** The prepared path against PGlite's own `query`, on an engine of its own. */
describe("prepared statements on the embedded database", () => {
  const pglite = new PGlite("memory://");
  const prepared = withPreparedStatements(pglite);
  const preparedNames = async () =>
    (
      await pglite.query<{ name: string }>(
        `SELECT name FROM pg_prepared_statements WHERE name LIKE 'tbe\\_%'`,
      )
    ).rows;

  beforeAll(async () => {
    await pglite.exec(`
      CREATE TABLE item (id int PRIMARY KEY, label text NOT NULL, due timestamptz, meta jsonb, done boolean);
      INSERT INTO item VALUES (1, 'one', '2026-01-02T03:04:05Z', '{"a":1}', true), (2, 'two', NULL, NULL, false);`);
  });
  afterAll(() => pglite.close());

  it("answers exactly what PGlite's own query answers, for reads and writes, with every kind of parameter", async () => {
    const select = `SELECT id, label, due, meta, done FROM item WHERE id = ANY($1::int[]) OR label = $2 ORDER BY id`;
    // A caller's own parsers (the Prisma adapter reads dates as text) win over PGlite's, every time.
    const parsers = { 1184: (value: string) => `at ${value}` };
    for (const options of [
      undefined,
      { rowMode: "array" as const },
      { rowMode: "array" as const, parsers },
      { parsers },
    ]) {
      const own = await pglite.query(select, [[1], "two"], options);
      const ours = await prepared.query(select, [[1], "two"], options);
      expect(ours.rows).toEqual(own.rows);
      expect(ours.fields).toEqual(own.fields);
    }
    const [withParsers] = (await prepared.query<{ due: string }>(select, [[1], "none"], { parsers })).rows;
    expect(withParsers!.due).toBe("at 2026-01-02 03:04:05+00");

    const insert = `INSERT INTO item (id, label, due, meta, done) VALUES ($1, $2, $3, $4::jsonb, $5) RETURNING *`;
    const inserted = await prepared.query(insert, [
      3,
      "three",
      new Date("2026-05-06T07:08:09Z"),
      '{"b":[2]}',
      null,
    ]);
    expect(inserted.rows).toEqual([
      { id: 3, label: "three", due: new Date("2026-05-06T07:08:09Z"), meta: { b: [2] }, done: null },
    ]);
    const updated = await prepared.query(`UPDATE item SET done = $1 WHERE id >= $2`, [true, 2]);
    expect(updated.affectedRows).toBe(2);
    expect(updated.rows).toEqual([]);
  });

  it("prepares a text once, under one name, and runs it by that name afterwards", async () => {
    const before = (await preparedNames()).length;
    for (let run = 0; run < 3; run++)
      expect((await prepared.query(`SELECT $1::int + 1 AS next`, [run])).rows).toEqual([{ next: run + 1 }]);
    const names = await preparedNames();
    expect(names).toHaveLength(before + 1);
    expect(names.at(-1)!.name).toMatch(/^tbe_[\w-]{27}$/);
  });

  it("reports a failing statement as PGlite does and leaves the engine ready for the next one", async () => {
    await expect(
      prepared.query(`INSERT INTO item (id, label) VALUES ($1, $2)`, [1, "again"]),
    ).rejects.toMatchObject({
      code: "23505",
    });
    await expect(prepared.query(`SELEC $1`, [1])).rejects.toMatchObject({ code: "42601" });
    expect((await prepared.query(`SELECT count(*)::int AS n FROM item WHERE id = $1`, [1])).rows).toEqual([
      { n: 1 },
    ]);
  });

  it("runs a transaction's statements inside it: a rollback undoes them, and others wait for its end", async () => {
    const seen: string[] = [];
    let outside: Promise<unknown> | undefined;
    await prepared.transaction(async (tx) => {
      await tx.query(`INSERT INTO item (id, label) VALUES ($1, $2)`, [10, "inside"]);
      // Queued behind the transaction: it must not see (or join) the uncommitted row.
      outside = prepared
        .query<{ n: number }>(`SELECT count(*)::int AS n FROM item WHERE id = $1`, [10])
        .then((result) => seen.push(`outside: ${result.rows[0]!.n}`));
      const inside = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM item WHERE id = $1`, [10]);
      seen.push(`inside: ${inside.rows[0]!.n}`);
      await tx.rollback();
    });
    await outside;
    expect(seen).toEqual(["inside: 1", "outside: 0"]);
  });

  it("prepares a statement again when another client dropped it", async () => {
    const query = `SELECT label FROM item WHERE id = $1`;
    await prepared.query(query, [1]);
    await pglite.exec("DEALLOCATE ALL");
    expect((await prepared.query(query, [1])).rows).toEqual([{ label: "one" }]);
  });

  it("keeps at most a thousand statements prepared, closing the oldest", async () => {
    for (let shape = 0; shape < 1_010; shape++)
      await prepared.query(`SELECT $1::int AS shape_${shape}`, [shape]);
    expect((await preparedNames()).length).toBe(1_000);
    expect((await prepared.query(`SELECT $1::int AS shape_0`, [7])).rows).toEqual([{ shape_0: 7 }]);
  });
});
