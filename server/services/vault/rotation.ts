/**
 * DEK rotation (`rotate-deks`): per tenant, in ONE transaction, a new data key version is added,
 * every value in ENCRYPTED_COLUMNS is re-encrypted under it, and the versions no row uses any
 * more are retired. A crash anywhere rolls back at most the tenant in progress, so every value
 * stays readable; a re-run with the same cutoff skips tenants already done.
 */
import { sql } from "drizzle-orm";
import type { Tx } from "../../db/client";
import { listTenantIds } from "../../db/system";
import { withTenant } from "../../db/tenant";
import { log } from "../../infra/log";
import { recordAudit } from "../audit";
import { openWith, parseRecord, sealWith, type SecretContext } from "./envelope";
import { ENCRYPTED_COLUMNS } from "./encrypted-columns";
import { addDataKeyVersion, dataKeyForVersion } from "./key-ring";

export interface TenantRotation {
  outcome: "rotated" | "skipped";
  fromVersions: number[];
  toVersion: number | null;
  values: number;
}

export interface RotationSummary {
  tenants: number;
  rotated: number;
  skipped: number;
  failed: number;
  /** Values re-encrypted. */
  values: number;
  failures: { tenantId: string; error: string }[];
}

export interface RotationOptions {
  /** Only tenants whose newest key is older than this are rotated (default: now). */
  olderThan?: Date;
  /** Default: every tenant. */
  tenantIds?: string[];
  /** Tenants rotated at once (each is one transaction on its own connection). */
  concurrency?: number;
  /** Extra passes over tenants that failed (a KMS hiccup should not wait a week). */
  retries?: number;
  onTenant?: (tenantId: string, result: TenantRotation | Error) => void;
}

interface KeyRow {
  version: number;
  status: string;
  created_at: Date | string;
}

/** postgres.js returns the rows, PGlite an object holding them. */
async function selectRows<T>(tx: Tx, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await tx.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}

const ident = (name: string) => sql.raw(`"${name.replace(/"/g, '""')}"`);

export async function rotateTenant(tenantId: string, olderThan: Date): Promise<TenantRotation> {
  return withTenant(tenantId, async (tx) => {
    // Locks the ring: a concurrent rotation of this tenant waits, then sees it is done.
    const ring = await selectRows<KeyRow>(
      tx,
      sql`select version, status, created_at from tenant_data_keys where tenant_id = ${tenantId} order by version for update`,
    );
    const active = ring.filter((k) => k.status === "active");
    const newest = active.at(-1);
    if (!newest) return { outcome: "skipped", fromVersions: [], toVersion: null, values: 0 };
    if (active.length === 1 && new Date(newest.created_at) >= olderThan)
      return { outcome: "skipped", fromVersions: [], toVersion: newest.version, values: 0 };

    const next = await addDataKeyVersion(tx, tenantId);
    if (!next) throw new Error("a new key version could not be added");
    let values = 0;
    for (const spec of ENCRYPTED_COLUMNS) values += await reencryptTable(tx, tenantId, spec, next);

    const fromVersions = active.map((k) => k.version);
    // Every stored value is on the new version now, so no row uses the old ones.
    await tx.execute(
      sql`update tenant_data_keys set status = 'retired', retired_at = now()
          where tenant_id = ${tenantId} and status = 'active' and version <> ${next.version}`,
    );
    await recordAudit(tx, {
      tenantId,
      userId: null,
      action: "vault_key_rotated",
      resourceType: "tenant_data_keys",
      resourceId: String(next.version),
      metadata: { from_versions: fromVersions, to_version: next.version, values },
    });
    return { outcome: "rotated", fromVersions, toVersion: next.version, values };
  });
}

async function reencryptTable(
  tx: Tx,
  tenantId: string,
  spec: (typeof ENCRYPTED_COLUMNS)[number],
  next: { version: number; key: Buffer },
): Promise<number> {
  const columns = spec.columns.map(ident);
  // FOR UPDATE: a writer that changes a secret meanwhile waits, so its new value is not lost.
  const rows = await selectRows<Record<string, string | null>>(
    tx,
    sql`select ${ident(spec.idColumn)}::text as id, ${sql.join(columns, sql`, `)} from ${ident(spec.table)}
        where tenant_id = ${tenantId} for update`,
  );
  const updates: Record<string, string | null>[] = [];
  let count = 0;
  for (const row of rows) {
    const update: Record<string, string | null> = { id: row.id! };
    for (const column of spec.columns) {
      const value = row[column];
      if (value === null || value === undefined) {
        update[column] = null;
        continue;
      }
      const ctx: SecretContext = { tenantId, table: spec.table, column, rowId: row.id! };
      const record = parseRecord(value);
      const plaintext = openWith(await dataKeyForVersion(tx, tenantId, record.version), record, ctx);
      update[column] = sealWith(next.key, next.version, ctx, plaintext);
      count += 1;
    }
    updates.push(update);
  }
  if (count === 0) return 0;
  // One statement per table: the new values arrive as a JSON array of records.
  const sets = spec.columns.map((c) => sql`${ident(c)} = coalesce(x.${ident(c)}, t.${ident(c)})`);
  const shape = sql.raw(["id text", ...spec.columns.map((c) => `"${c}" text`)].join(", "));
  await tx.execute(
    sql`update ${ident(spec.table)} as t set ${sql.join(sets, sql`, `)}
        from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as x(${shape})
        where t.${ident(spec.idColumn)}::text = x.id and t.tenant_id = ${tenantId}`,
  );
  return count;
}

async function runPool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let index = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (index < items.length) await fn(items[index++]!);
  });
  await Promise.all(lanes);
}

/** Rotates every (or the listed) tenant; one failing tenant does not stop the others. */
export async function rotateDataKeys(options: RotationOptions = {}): Promise<RotationSummary> {
  const olderThan = options.olderThan ?? new Date();
  const tenantIds = options.tenantIds ?? (await listTenantIds());
  const summary: RotationSummary = { tenants: tenantIds.length, rotated: 0, skipped: 0, failed: 0, values: 0, failures: [] };
  let pending = tenantIds;
  const errors = new Map<string, string>();
  for (let pass = 0; pass <= (options.retries ?? 1) && pending.length > 0; pass++) {
    const failed: string[] = [];
    await runPool(pending, options.concurrency ?? 4, async (tenantId) => {
      try {
        const result = await rotateTenant(tenantId, olderThan);
        if (result.outcome === "rotated") summary.rotated += 1;
        else summary.skipped += 1;
        summary.values += result.values;
        errors.delete(tenantId);
        options.onTenant?.(tenantId, result);
      } catch (error) {
        failed.push(tenantId);
        errors.set(tenantId, (error as Error).message);
        options.onTenant?.(tenantId, error as Error);
      }
    });
    pending = failed;
  }
  summary.failed = pending.length;
  summary.failures = pending.map((tenantId) => ({ tenantId, error: errors.get(tenantId) ?? "unknown" }));
  log.info("rotate-deks finished", {
    tenants: summary.tenants,
    rotated: summary.rotated,
    skipped: summary.skipped,
    failed: summary.failed,
    values: summary.values,
  });
  return summary;
}
