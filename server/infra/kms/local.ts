/**
 * Development KMS: data keys wrapped with AES-256-GCM under a master key from
 * KMS_LOCAL_MASTER_KEY (base64, 32 bytes) or a fixed development key. The tenant id is bound as
 * AAD, as AWS binds the encryption context. Refused in production: the master key would sit
 * next to the data it protects.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { encryptionContext, KmsError, type DataKey, type KmsProvider } from "./types";

const DEV_MASTER_KEY = createHash("sha256").update("adinsights-local-kms-development-master-key").digest();
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function masterKeyFrom(encoded: string | undefined): Buffer {
  if (!encoded) return DEV_MASTER_KEY;
  const key = Buffer.from(encoded, "base64");
  if (key.length !== 32) throw new KmsError("KMS_LOCAL_MASTER_KEY must be 32 bytes, base64-encoded.", "config");
  return key;
}

export function createLocalKms(options: { nodeEnv: string; masterKey?: string }): KmsProvider {
  if (options.nodeEnv === "production")
    throw new KmsError("KMS_PROVIDER=local is refused when NODE_ENV=production; use KMS_PROVIDER=aws.", "config");
  const master = masterKeyFrom(options.masterKey);
  const keyId = `local:${createHash("sha256").update(master).digest("hex").slice(0, 16)}`;
  const aad = (tenantId: string) => Buffer.from(JSON.stringify(encryptionContext(tenantId)));

  const wrap = (tenantId: string, plaintext: Buffer): Buffer => {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", master, iv).setAAD(aad(tenantId));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  };
  const unwrap = (tenantId: string, wrapped: Buffer, wrappedBy: string): Buffer => {
    if (wrappedBy !== keyId) throw new KmsError("Data key was wrapped by another local master key.", "IncorrectKeyException");
    try {
      const decipher = createDecipheriv("aes-256-gcm", master, wrapped.subarray(0, IV_BYTES)).setAAD(aad(tenantId));
      decipher.setAuthTag(wrapped.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(wrapped.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch {
      throw new KmsError("Data key could not be unwrapped.", "InvalidCiphertextException");
    }
  };

  return {
    name: "local",
    currentKeyId: () => keyId,
    async generateDataKey(tenantId): Promise<DataKey> {
      const plaintext = randomBytes(32);
      return { plaintext, wrapped: wrap(tenantId, plaintext), keyId };
    },
    async decryptDataKey(tenantId, wrapped, wrappedBy) {
      return unwrap(tenantId, wrapped, wrappedBy);
    },
    async rewrapDataKey(tenantId, wrapped, wrappedBy) {
      return { wrapped: wrap(tenantId, unwrap(tenantId, wrapped, wrappedBy)), keyId };
    },
  };
}
