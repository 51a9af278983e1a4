import pg from "pg";

import { E2E } from "./environment";

/** Reads what the app stored: the PostgreSQL of DATABASE_URL, or the embedded database on loopback. */
export async function query<Row extends Record<string, unknown>>(sql: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: E2E.databaseUrl });
  await client.connect();
  try {
    return (await client.query<Row>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Every text value in every table of the app's schema, for "this secret is stored nowhere" checks. */
export async function everyStoredText(): Promise<string> {
  const columns = await query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM information_schema.columns
     WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'json')`,
  );
  const values: string[] = [];
  for (const { table_name, column_name } of columns) {
    const rows = await query<{ value: string | null }>(
      `SELECT "${column_name}"::text AS value FROM "${table_name}"`,
    );
    for (const row of rows) if (row.value) values.push(row.value);
  }
  return values.join("\n");
}
