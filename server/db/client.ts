/**
 * The database handle: postgres.js when DATABASE_URL is set, embedded PGlite (data under
 * PGLITE_DATA_DIR) when it is not. Both run the same migrations and the same RLS policies.
 */
import "server-only";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { env } from "../env";
import { preparingStatements } from "./prepared-statements";
import * as schema from "./schema";
import { statementLogger } from "./statement-counter";

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export interface Database {
  db: Db;
  kind: "postgres" | "pglite";
  /**
   * Runs `fn` while holding an advisory lock on `key`, so slow remote calls can be serialised
   * across processes. The lock belongs to a transaction that does nothing else (`fn` runs its own
   * queries and transactions beside it) and dies with its connection, so a killed process never
   * leaves it held. Not a reserved session: postgres.js leaves a reserved connection whose server
   * went away unable to settle its next query, which hung the caller past the outage.
   */
  withAdvisoryLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** Like withAdvisoryLock, but when someone else holds the lock `fn` does not run (`ran` is false). */
  tryWithAdvisoryLock<T>(key: string, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
  close(): Promise<void>;
}

/** PGlite is one in-process session: a promise chain per key serialises callers instead. */
function inProcessLocks() {
  const tails = new Map<string, Promise<unknown>>();
  const withLock = async <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.catch(() => {}).then(fn);
    tails.set(key, run);
    try {
      return await run;
    } finally {
      if (tails.get(key) === run) tails.delete(key);
    }
  };
  const tryWithLock = async <T>(key: string, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> =>
    tails.has(key) ? { ran: false } : { ran: true, value: await withLock(key, fn) };
  return { withAdvisoryLock: withLock, tryWithAdvisoryLock: tryWithLock };
}

export async function openPostgres(url: string, poolSize: number, connectTimeoutMs: number): Promise<Database> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const client = postgres(url, {
    max: poolSize,
    onnotice: () => {},
    // While the server is unreachable a query fails within this (a refused or reset socket at
    // once), and the caller answers 503 (server/db/errors.ts) instead of hanging the request.
    connect_timeout: connectTimeoutMs / 1000,
    // postgres.js waits up to 20 s (growing with each failure) before reconnecting; queries queue
    // behind that wait, so an outage turned into hung requests and recovery lagged the restart.
    // Reconnect on the next query instead: each attempt is one cheap connect.
    backoff: () => 0,
    idle_timeout: 60,
  });
  const withAdvisoryLock = <T>(key: string, fn: () => Promise<T>): Promise<T> =>
    client.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
      return fn();
    }) as Promise<T>;
  const tryWithAdvisoryLock = <T>(key: string, fn: () => Promise<T>) =>
    client.begin(async (tx) => {
      const [row] = await tx<{ locked: boolean }[]>`select pg_try_advisory_xact_lock(hashtextextended(${key}, 0)) as locked`;
      return row?.locked ? { ran: true as const, value: await fn() } : { ran: false as const };
    }) as Promise<{ ran: true; value: T } | { ran: false }>;
  return {
    db: drizzle({ client: preparingStatements(client), schema, logger: statementLogger }) as unknown as Db,
    kind: "postgres",
    withAdvisoryLock,
    tryWithAdvisoryLock,
    close: () => client.end({ timeout: 5 }),
  };
}

export async function openPglite(dataDir: string): Promise<Database> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { mkdirSync } = await import("node:fs");
  mkdirSync(dataDir, { recursive: true });
  const client = new PGlite(dataDir);
  await client.waitReady;
  const database: Database = { db: drizzle({ client, schema, logger: statementLogger }) as unknown as Db, kind: "pglite", ...inProcessLocks(), close: () => client.close() };
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
    return e.DATABASE_URL ? openPostgres(e.DATABASE_URL, e.DATABASE_POOL_SIZE, e.DATABASE_CONNECT_TIMEOUT_MS) : openPglite(e.PGLITE_DATA_DIR);
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
