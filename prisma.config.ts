import { defineConfig } from "prisma/config";

// The app applies migrations itself (packages/db/src/migrate.ts); with internet access the
// Prisma CLI's `migrate deploy` works on the same folder.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" },
});
