/**
 * Applies the drizzle-kit migrations in drizzle/, then the generated RLS/role script
 * (server/db/rls.ts). Safe to run from several processes at once: a Postgres advisory lock
 * serialises them.
 */
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { Sql } from "postgres";
import { allTables, rlsStatements } from "./rls";

const MIGRATIONS_FOLDER = path.join(process.cwd(), "drizzle");
const MIGRATION_LOCK_KEY = 727_310_001;

export interface MigrationReport {
  /** Airbyte connections still writing to the destination's shared schema (api.md §0.15). */
  connectionsOutsideTenantNamespace: number;
}

export async function migratePostgres(url: string): Promise<MigrationReport> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  // One connection, so the advisory lock and the migration share a session.
  const client = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
    await applyRlsPostgres(client);
    await client`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    // Read through the platform lookup policy: FORCEd RLS binds the owner too.
    const [pending] = await client.begin((tx) => [
      tx`select set_config('app.platform_scope', 'on', true)`,
      tx<{ n: number }[]>`select count(*)::int as n from airbyte_connections where namespace_format is null`,
    ]).then((results) => results[1]!);
    return { connectionsOutsideTenantNamespace: pending?.n ?? 0 };
  } finally {
    await client.end({ timeout: 5 });
  }
}

const LOCK_NOT_AVAILABLE = "55P03";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The RLS/role script on a live database: one transaction (no moment where a table has RLS forced
 * but no policy), whose first statement takes every table's lock with NOWAIT. Waiting for one
 * lock while holding others could deadlock the app's own transactions (Postgres would then abort
 * one of them); instead a busy table ends the attempt at once, releasing everything, and the
 * whole script is retried after a short randomised pause. The app is never blocked for longer
 * than the script itself takes (milliseconds).
 */
export async function applyRlsPostgres(client: Sql, { attempts = 100 } = {}): Promise<number> {
  const statements = rlsStatements();
  const lockAll = `LOCK TABLE ${allTables().map((t) => `"${t}"`).join(", ")} IN ACCESS EXCLUSIVE MODE NOWAIT`;
  for (let attempt = 1; ; attempt++) {
    try {
      await client.begin(async (tx) => {
        await tx.unsafe(lockAll);
        for (const statement of statements) await tx.unsafe(statement);
      });
      return attempt;
    } catch (error) {
      if ((error as { code?: string }).code !== LOCK_NOT_AVAILABLE || attempt >= attempts) throw error;
      await sleep(50 + Math.random() * 100 * Math.min(attempt, 10));
    }
  }
}

export async function migratePglite(client: PGlite): Promise<void> {
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  await migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
  for (const statement of rlsStatements()) await client.exec(statement);
}
