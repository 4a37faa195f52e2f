/**
 * The credential vault: envelope encryption of secrets stored in tenant tables.
 *
 * A value is sealed with AES-256-GCM under the tenant's current data key (DEK); the DEK is kept
 * wrapped by the KMS in tenant_data_keys and unwrapped on demand (cached briefly). Every decrypt
 * is audited. `tx` is the caller's withTenant(ctx.tenantId, ...) transaction.
 */
import "server-only";
import type { Tx } from "../../db/client";
import { recordDecrypt, type DecryptReason } from "./decrypt-audit";
import { peekDataKey } from "./dek-cache";
import { openWith, parseRecord, sealWith, type CiphertextRecord, type SecretContext } from "./envelope";
import { activeDataKey, dataKeyForVersion } from "./key-ring";

export type { SecretContext } from "./envelope";
export type { DecryptReason } from "./decrypt-audit";
export { VaultError } from "./envelope";
export { flushDecryptAudits } from "./decrypt-audit";
export { ENCRYPTED_COLUMNS } from "./encrypted-columns";

export async function encryptSecret(tx: Tx, ctx: SecretContext, plaintext: string): Promise<string> {
  const { version, key } = await activeDataKey(tx, ctx.tenantId);
  return sealWith(key, version, ctx, plaintext);
}

export async function decryptSecret(tx: Tx, ctx: SecretContext, ciphertext: string, reason: DecryptReason): Promise<string> {
  const record = parseRecord(ciphertext);
  const plaintext = (await openWithCachedKey(record, ctx)) ?? openWith(await dataKeyForVersion(tx, ctx.tenantId, record.version), record, ctx);
  recordDecrypt(ctx, reason, record.version);
  return plaintext;
}

/** The fast path: a warm cache decrypts with no query. A miss or a failure re-reads the ring. */
async function openWithCachedKey(record: CiphertextRecord, ctx: SecretContext): Promise<string | undefined> {
  const cached = peekDataKey(ctx.tenantId, record.version);
  if (!cached) return undefined;
  try {
    return openWith(await cached.key, record, ctx);
  } catch {
    return undefined;
  }
}
