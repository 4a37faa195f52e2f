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
  const { db } = await database();
  return db.transaction(async (tx) => {
    const assignments = Object.entries(settings).map(([k, v]) => sql`set_config(${k}, ${v}, true)`);
    await tx.execute(sql`select set_config('role', ${APP_ROLE}, true), ${sql.join(assignments, sql`, `)}`);
    return fn(tx);
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
