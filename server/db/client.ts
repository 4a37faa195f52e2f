/**
 * The database handle: postgres.js when DATABASE_URL is set, embedded PGlite (data under
 * PGLITE_DATA_DIR) when it is not. Both run the same migrations and the same RLS policies.
 */
import "server-only";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { env } from "../env";
import * as schema from "./schema";
import { statementLogger } from "./statement-counter";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export interface Database {
  db: Db;
  kind: "postgres" | "pglite";
  /**
   * Runs `fn` while holding a session-level advisory lock on `key`, outside any transaction, so
   * slow remote calls can be serialised across processes without holding a transaction open.
   */
  withSessionLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** PGlite is one in-process session: a promise chain per key serialises callers instead. */
function inProcessLock() {
  const tails = new Map<string, Promise<unknown>>();
  return async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.catch(() => {}).then(fn);
    tails.set(key, run);
    try {
      return await run;
    } finally {
      if (tails.get(key) === run) tails.delete(key);
    }
  };
}

export async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const client = postgres(url, {
    max: poolSize,
    onnotice: () => {},
    // Fail fast instead of hanging a request when the server is gone.
    connect_timeout: 10,
    idle_timeout: 60,
  });
  const withSessionLock = async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const session = await client.reserve();
    try {
      await session`select pg_advisory_lock(hashtextextended(${key}, 0))`;
      try {
        return await fn();
      } finally {
        await session`select pg_advisory_unlock(hashtextextended(${key}, 0))`;
      }
    } finally {
      session.release();
    }
  };
  return { db: drizzle({ client, schema, logger: statementLogger }) as unknown as Db, kind: "postgres", withSessionLock, close: () => client.end({ timeout: 5 }) };
}

export async function openPglite(dataDir: string): Promise<Database> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { mkdirSync } = await import("node:fs");
  mkdirSync(dataDir, { recursive: true });
  const client = new PGlite(dataDir);
  await client.waitReady;
  const database: Database = { db: drizzle({ client, schema, logger: statementLogger }) as unknown as Db, kind: "pglite", withSessionLock: inProcessLock(), close: () => client.close() };
  // The embedded database is a development convenience: keep it migrated on every open.
  const { migratePglite } = await import("./migrate");
  await migratePglite(client);
  return database;
}

const holder = globalThis as unknown as { __adinsightsDb?: Promise<Database> };

/** The process-wide database, opened on first use (kept on globalThis to survive dev reloads). */
export function database(): Promise<Database> {
  holder.__adinsightsDb ??= (async () => {
    const e = env();
    return e.DATABASE_URL ? openPostgres(e.DATABASE_URL, e.DATABASE_POOL_SIZE) : openPglite(e.PGLITE_DATA_DIR);
  })().catch((error: unknown) => {
    holder.__adinsightsDb = undefined;
    throw error;
  });
  return holder.__adinsightsDb;
}

export async function closeDatabase(): Promise<void> {
  const pending = holder.__adinsightsDb;
  holder.__adinsightsDb = undefined;
  if (pending) await (await pending).close();
}
