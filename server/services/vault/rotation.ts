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
import { kms } from "../../infra/kms";
import { log } from "../../infra/log";
import { recordAudit } from "../audit";
import { openWith, parseRecord, sealWith, VaultError, type SecretContext } from "./envelope";
import { ENCRYPTED_COLUMNS } from "./encrypted-columns";
import { insertDataKeyVersion, unwrapRow } from "./key-ring";
import { runPool } from "../run-pool";

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
  kmsProvider: string;
  kmsKeyId: string;
  wrappedKey: string;
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
      sql`select version, status, created_at, kms_provider as "kmsProvider", kms_key_id as "kmsKeyId", wrapped_key as "wrappedKey"
          from tenant_data_keys where tenant_id = ${tenantId} order by version for update`,
    );
    const active = ring.filter((k) => k.status === "active");
    const newest = active.at(-1);
    if (!newest) return { outcome: "skipped", fromVersions: [], toVersion: null, values: 0 };
    if (active.length === 1 && new Date(newest.created_at) >= olderThan)
      return { outcome: "skipped", fromVersions: [], toVersion: newest.version, values: 0 };

    // KMS calls overlap the row reads: the new key is generated and the old ones unwrapped
    // while Postgres locks and returns the tenant's encrypted rows.
    const nextVersion = ring.at(-1)!.version + 1;
    const generated = kms().generateDataKey(tenantId);
    const keys = new Map(ring.map((k) => [k.version, k]));
    const keyFor = (version: number): Promise<Buffer> => {
      const row = keys.get(version);
      if (!row) return Promise.reject(new VaultError(`No data key version ${version} for this tenant.`, "unknown_key"));
      return unwrapRow(tenantId, row);
    };
    for (const k of active) keyFor(k.version).catch(() => {}); // warm; failures surface on use
    generated.catch(() => {});

    const pending: Record<string, string | null>[][] = [];
    for (const spec of ENCRYPTED_COLUMNS) pending.push(await lockRows(tx, tenantId, spec));
    const dataKey = await generated;
    const next = { version: nextVersion, key: dataKey.plaintext };
    await insertDataKeyVersion(tx, tenantId, next.version, dataKey);
    let values = 0;
    for (const [i, spec] of ENCRYPTED_COLUMNS.entries()) values += await reencryptRows(tx, tenantId, spec, pending[i]!, keyFor, next);

    const fromVersions = active.map((k) => k.version);
    // Every stored value is on the new version now, so no row uses the old ones.
    await tx.execute(
      sql`update tenant_data_keys set status = 'retired', retired_at = now()
          where tenant_id = ${tenantId} and status = 'active' and version <> ${next.version}`,
    );
    const rewrapped = await moveOldKeysToCurrentMasterKey(tx, tenantId, ring, dataKey.keyId);
    await recordAudit(tx, {
      tenantId,
      userId: null,
      action: "vault_key_rotated",
      resourceType: "tenant_data_keys",
      resourceId: String(next.version),
      metadata: { from_versions: fromVersions, to_version: next.version, values, rewrapped_versions: rewrapped },
    });
    return { outcome: "rotated", fromVersions, toVersion: next.version, values };
  });
}

/**
 * Retired versions stay readable (a value written meanwhile, or one cached outside a table, may
 * still name them). If the KMS master key changed since they were made, ReEncrypt moves them
 * under the current one — KMS-side, the data key never leaves KMS — so the old master key can be
 * disabled.
 */
async function moveOldKeysToCurrentMasterKey(tx: Tx, tenantId: string, ring: KeyRow[], currentKeyId: string): Promise<number[]> {
  const provider = kms();
  const moved: number[] = [];
  for (const row of ring) {
    if (row.kmsProvider !== provider.name || row.kmsKeyId === currentKeyId) continue;
    const out = await provider.rewrapDataKey(tenantId, Buffer.from(row.wrappedKey, "base64"), row.kmsKeyId);
    await tx.execute(
      sql`update tenant_data_keys set kms_key_id = ${out.keyId}, wrapped_key = ${out.wrapped.toString("base64")}
          where tenant_id = ${tenantId} and version = ${row.version}`,
    );
    moved.push(row.version);
  }
  return moved;
}

type Spec = (typeof ENCRYPTED_COLUMNS)[number];

/** FOR UPDATE: a writer that changes a secret meanwhile waits, so its new value is not lost. */
function lockRows(tx: Tx, tenantId: string, spec: Spec): Promise<Record<string, string | null>[]> {
  return selectRows<Record<string, string | null>>(
    tx,
    sql`select ${ident(spec.idColumn)}::text as id, ${sql.join(spec.columns.map(ident), sql`, `)} from ${ident(spec.table)}
        where tenant_id = ${tenantId} for update`,
  );
}

async function reencryptRows(
  tx: Tx,
  tenantId: string,
  spec: Spec,
  rows: Record<string, string | null>[],
  keyFor: (version: number) => Promise<Buffer>,
  next: { version: number; key: Buffer },
): Promise<number> {
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
      update[column] = sealWith(next.key, next.version, ctx, openWith(await keyFor(record.version), record, ctx));
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
