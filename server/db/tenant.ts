/**
 * The only ways request and job code touches tenant tables.
 *
 * Each opens a transaction, drops to the app role (no owner rights, no BYPASSRLS, so FORCEd
 * policies apply even when the connection itself is an owner or PGlite's superuser), and sets the
 * transaction-local settings the policies read.
 */
import { sql } from "drizzle-orm";
import { APP_ROLE } from "./rls";
import { database, type Tx } from "./client";

type Settings = Record<string, string>;

async function inScope<T>(settings: Settings, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const { db, kind } = await database();
  return db.transaction(async (tx) => {
    const assignments = Object.entries(settings).map(([k, v]) => sql`set_config(${k}, ${v}, true)`);
    const setup = tx.execute(sql`select set_config('role', ${APP_ROLE}, true), ${sql.join(assignments, sql`, `)}`);
    if (kind !== "postgres") {
      await setup;
      return fn(tx);
    }
    // postgres.js pipelines: the settings and fn's first query leave in one write and the server
    // runs them in order, saving a round trip per transaction. If the settings fail, the
    // transaction is aborted and fn's queries fail with it; that failure is reported first.
    const ready = setup.then(() => undefined);
    // Promise.resolve adopts fn's result once: fn may return a lazy drizzle query, which would run
    // again each time .then/.catch is called on it.
    const work = Promise.resolve(fn(tx));
    work.catch(() => {}); // observed below; keeps a failed setup from also raising an unhandled rejection
    await ready;
    return work;
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Runs `fn` in one transaction that can see and write only `tenantId`'s rows. */
export function withTenant<T>(tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (!UUID.test(tenantId)) throw new Error("withTenant needs a tenant UUID");
  return inScope({ "app.tenant_id": tenantId }, fn);
}

/**
 * Runs `fn` with one of the narrow cross-tenant read scopes from server/db/rls.ts. Only
 * server/db/system.ts calls this; each call there says why it must cross tenants.
 */
export function withLookupScope<T>(settings: Settings, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return inScope({ "app.tenant_id": "", ...settings }, fn);
}
