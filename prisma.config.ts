// Prisma CLI configuration. The studio itself does not read this file: it builds its client in
// lib/db/client.ts. DATABASE_URL is only needed by `prisma migrate deploy` on machines where
// Prisma's schema engine can be downloaded; the studio applies migrations itself (lib/db/migrate.ts).
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres" },
});
