import "server-only";

import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type * as SchemaEngineWasm from "@prisma/schema-engine-wasm";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";

/**
 * Prisma's own schema engine, in its WebAssembly build, driven through a driver adapter.
 * It reads prisma/migrations and writes `_prisma_migrations` exactly as `prisma migrate` does,
 * so a machine with the native engine can run `prisma migrate deploy` / `status` on the same folder.
 */

const PRISMA_DIR = path.resolve(process.cwd(), "prisma");
const SCHEMA_PATH = path.join(PRISMA_DIR, "schema.prisma");
const MIGRATIONS_DIR = path.join(PRISMA_DIR, "migrations");
const LOCKFILE = "migration_lock.toml";
const NO_FILTER = { externalTables: [], externalEnums: [] };

type WasmModule = typeof SchemaEngineWasm;

let wasmModule: Promise<WasmModule> | undefined;

/** The package targets bundlers (`import "*.wasm"`), so Node instantiates the binary itself. */
function loadSchemaEngineWasm(): Promise<WasmModule> {
  wasmModule ??= (async () => {
    const bindings = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as WasmModule & {
      __wbg_set_wasm(exports: WebAssembly.Exports): void;
    };
    // Resolved from the project root so it works under Node and inside Next's server bundle.
    const bindingsFile = createRequire(path.join(process.cwd(), "package.json")).resolve(
      "@prisma/schema-engine-wasm/schema_engine_bg",
    );
    const wasmPath = path.join(path.dirname(bindingsFile), "schema_engine_bg.wasm");
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), {
      "./schema_engine_bg.js": bindings as unknown as WebAssembly.ModuleImports,
    });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bindings;
  })();
  return wasmModule;
}

async function withSchemaEngine<T>(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  run: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = await loadSchemaEngineWasm();
  const schema = await readFile(SCHEMA_PATH, "utf8");
  const engine = await SchemaEngine.new(
    { datamodels: [[SCHEMA_PATH, schema]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
  try {
    return await run(engine);
  } finally {
    engine.free();
  }
}

async function readMigrationList(): Promise<MigrationList> {
  const entries = await readdir(MIGRATIONS_DIR, { withFileTypes: true }).catch(() => []);
  const directories = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const lockfileContent = await readFile(path.join(MIGRATIONS_DIR, LOCKFILE), "utf8").catch(() => null);
  return {
    baseDir: MIGRATIONS_DIR,
    lockfile: { path: LOCKFILE, content: lockfileContent },
    shadowDbInitScript: "",
    migrationDirectories: await Promise.all(
      directories.map(async (name) => {
        const file = path.join(MIGRATIONS_DIR, name, "migration.sql");
        const content = await readFile(file, "utf8").then(
          (value) => ({ tag: "ok" as const, value }),
          (error: Error) => ({ tag: "error" as const, value: error.message }),
        );
        return { path: name, migrationFile: { path: "migration.sql", content } };
      }),
    ),
  };
}

/**
 * Applies every migration in prisma/migrations that the database has not seen yet.
 * `appliedNames` answers cheaply from `_prisma_migrations`; when it already lists every local
 * migration, the engine (a large WebAssembly module) is not loaded at all.
 */
export async function applyMigrations(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  appliedNames: () => Promise<string[]> = async () => [],
): Promise<string[]> {
  // Processes starting together queue on the engine's advisory lock, which gives up after 10 s;
  // by the next attempt the first process has usually applied everything.
  for (let attempt = 1; ; attempt++) {
    const migrationsList = await readMigrationList();
    const applied = new Set(await appliedNames().catch(() => []));
    if (migrationsList.migrationDirectories.every((directory) => applied.has(directory.path))) return [];
    try {
      const { appliedMigrationNames } = await withSchemaEngine(adapterFactory, (engine) =>
        engine.applyMigrations({ migrationsList, filters: NO_FILTER }),
      );
      return appliedMigrationNames;
    } catch (error) {
      const lockTimeout = (error as { code?: string }).code === "P1002";
      if (!lockTimeout || attempt >= 6) throw error;
    }
  }
}

export type NewMigration = { directory: string; script: string } | null;

/** The engine reads the connector from the lockfile, as `prisma migrate` writes it. */
async function ensureLockfile(): Promise<void> {
  await mkdir(MIGRATIONS_DIR, { recursive: true });
  await writeFile(
    path.join(MIGRATIONS_DIR, LOCKFILE),
    '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
    { flag: "wx" },
  ).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "EEXIST") throw error;
  });
}

/** `20240101120000` — the UTC timestamp prefix `prisma migrate dev` gives migration folders. */
function migrationTimestamp(date = new Date()): string {
  return date.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

/**
 * Diffs prisma/schema.prisma against the migration history (replayed by the engine on the
 * adapter's shadow database) and writes the difference as a new migration folder, named like
 * `prisma migrate dev` names them. Returns null when the schema matches the migrations.
 */
export async function createMigration(
  name: string,
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
): Promise<NewMigration> {
  await ensureLockfile();
  const migrationsList = await readMigrationList();
  const schema = await readFile(SCHEMA_PATH, "utf8");
  const { exitCode, stdout } = await withSchemaEngine(adapterFactory, (engine) =>
    engine.diff({
      from: { tag: "migrations", ...migrationsList },
      to: { tag: "schemaDatamodel", files: [{ path: SCHEMA_PATH, content: schema }] },
      script: true,
      exitCode: true,
      filters: NO_FILTER,
    }),
  );
  // With `exitCode`, the engine answers 2 when there is a difference and 0 when there is none.
  if (exitCode !== 2 || !stdout) return null;

  const directory = path.join(MIGRATIONS_DIR, `${migrationTimestamp()}_${name}`);
  await mkdir(directory, { recursive: true });
  await writeFile(path.join(directory, "migration.sql"), stdout);
  return { directory, script: stdout };
}
