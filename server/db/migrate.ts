/**
 * Applies the drizzle-kit migrations in drizzle/, then the generated RLS/role script
 * (server/db/rls.ts). Safe to run from several processes at once: a Postgres advisory lock
 * serialises them.
 */
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { rlsStatements } from "./rls";

const MIGRATIONS_FOLDER = path.join(process.cwd(), "drizzle");
const MIGRATION_LOCK_KEY = 727_310_001;

export async function migratePostgres(url: string): Promise<void> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  // One connection, so the advisory lock and the migration share a session.
  const client = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
    for (const statement of rlsStatements()) await client.unsafe(statement);
    await client`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
  } finally {
    await client.end({ timeout: 5 });
  }
}

export async function migratePglite(client: PGlite): Promise<void> {
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
  for (const statement of rlsStatements()) await client.exec(statement);
}
