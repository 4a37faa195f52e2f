/**
 * A tenant's key ring (table tenant_data_keys): which data key encrypts now, and the key for any
 * version a stored ciphertext names. Every query runs in the caller's withTenant transaction.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import type { Tx } from "../../db/client";
import { tenantDataKeys } from "../../db/schema";
import { kms, KmsError, type DataKey } from "../../infra/kms";
import { cachedDataKey, rememberDataKey } from "./dek-cache";
import { VaultError } from "./envelope";

export interface DataKeyInUse {
  version: number;
  key: Buffer;
}

type KeyRow = Pick<typeof tenantDataKeys.$inferSelect, "version" | "kmsProvider" | "kmsKeyId" | "wrappedKey">;

const keyColumns = {
  version: tenantDataKeys.version,
  kmsProvider: tenantDataKeys.kmsProvider,
  kmsKeyId: tenantDataKeys.kmsKeyId,
  wrappedKey: tenantDataKeys.wrappedKey,
};

export function unwrapRow(tenantId: string, row: KeyRow): Promise<Buffer> {
  return cachedDataKey(tenantId, row.version, row.wrappedKey, async () => {
    const provider = kms();
    if (row.kmsProvider !== provider.name)
      throw new KmsError(`Data key version ${row.version} was wrapped by the ${row.kmsProvider} KMS, not ${provider.name}.`, "IncorrectKeyException");
    return provider.decryptDataKey(tenantId, Buffer.from(row.wrappedKey, "base64"), row.kmsKeyId);
  });
}

async function activeRow(tx: Tx, tenantId: string): Promise<KeyRow | undefined> {
  const [row] = await tx
    .select(keyColumns)
    .from(tenantDataKeys)
    .where(and(eq(tenantDataKeys.tenantId, tenantId), eq(tenantDataKeys.status, "active")))
    .orderBy(desc(tenantDataKeys.version))
    .limit(1);
  return row;
}

/**
 * A tenant's first data key (lazily, on first encrypt). Returns null when another transaction
 * got there first: either its key is already visible, or our insert of the same version waited
 * on the unique index and did nothing (nothing is aborted).
 */
async function createFirstDataKey(tx: Tx, tenantId: string): Promise<DataKeyInUse | null> {
  // One statement, one snapshot: either it sees a committed concurrent insert, or it does not
  // and our insert of the same version waits on the unique index and then does nothing.
  const [{ next, hasActive } = { next: 1, hasActive: false }] = await tx
    .select({
      next: sql<number>`coalesce(max(${tenantDataKeys.version}), 0) + 1`.mapWith(Number),
      hasActive: sql<boolean>`coalesce(bool_or(${tenantDataKeys.status} = 'active'), false)`,
    })
    .from(tenantDataKeys)
    .where(eq(tenantDataKeys.tenantId, tenantId));
  if (hasActive) return null;
  const provider = kms();
  const dataKey = await provider.generateDataKey(tenantId);
  const wrappedKey = dataKey.wrapped.toString("base64");
  const inserted = await tx
    .insert(tenantDataKeys)
    .values({
      tenantId,
      version: next,
      status: "active",
      kmsProvider: provider.name,
      kmsKeyId: dataKey.keyId,
      wrappedKey,
    })
    .onConflictDoNothing()
    .returning({ version: tenantDataKeys.version });
  if (inserted.length === 0) return null;
  rememberDataKey(tenantId, next, wrappedKey, dataKey.plaintext);
  return { version: next, key: dataKey.plaintext };
}

/**
 * Rotation's insert: the caller holds the ring locked and chose the version; a conflict is an
 * error (the tenant's rotation fails and is retried), never a silent no-op.
 */
export async function insertDataKeyVersion(tx: Tx, tenantId: string, version: number, dataKey: DataKey): Promise<void> {
  const wrappedKey = dataKey.wrapped.toString("base64");
  await tx.insert(tenantDataKeys).values({ tenantId, version, status: "active", kmsProvider: kms().name, kmsKeyId: dataKey.keyId, wrappedKey });
  rememberDataKey(tenantId, version, wrappedKey, dataKey.plaintext);
}

/** The key new ciphertexts use: the highest active version, created on the tenant's first use. */
export async function activeDataKey(tx: Tx, tenantId: string): Promise<DataKeyInUse> {
  const row = await activeRow(tx, tenantId);
  if (row) return { version: row.version, key: await unwrapRow(tenantId, row) };
  const created = await createFirstDataKey(tx, tenantId);
  if (created) return created;
  // A concurrent first use won the insert (it waited for that transaction): use its key.
  const winner = await activeRow(tx, tenantId);
  if (!winner) throw new VaultError("The tenant's data key could not be created.", "unknown_key");
  return { version: winner.version, key: await unwrapRow(tenantId, winner) };
}

/** The key for a version a ciphertext names, as the ring stores it now. */
export async function dataKeyForVersion(tx: Tx, tenantId: string, version: number): Promise<Buffer> {
  const [row] = await tx
    .select(keyColumns)
    .from(tenantDataKeys)
    .where(and(eq(tenantDataKeys.tenantId, tenantId), eq(tenantDataKeys.version, version)))
    .limit(1);
  if (!row) throw new VaultError(`No data key version ${version} for this tenant.`, "unknown_key");
  return unwrapRow(tenantId, row);
}
