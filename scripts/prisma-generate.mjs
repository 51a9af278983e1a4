// Generates the Prisma client into src/generated/prisma.
// The CLI wants a native schema engine it would download from a host this project does not rely
// on; `generate` never runs it, so any existing file satisfies the check. Migrations go through
// Prisma's WebAssembly schema engine instead (src/server/db/migrations.ts).
import { spawnSync } from "node:child_process";

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
};
const result = spawnSync(
  process.execPath,
  ["node_modules/prisma/build/index.js", "generate", ...process.argv.slice(2)],
  {
    env,
    stdio: "inherit",
  },
);
process.exit(result.status ?? 1);
