import { defineConfig } from "prisma/config";

// `generate`, `validate` and `format` need no database: a placeholder URL keeps them working
// when DATABASE_URL is unset (the embedded PGlite database needs no URL at all).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: {
    url: process.env.DATABASE_URL ?? "postgresql://placeholder:placeholder@localhost:5432/placeholder",
  },
});
