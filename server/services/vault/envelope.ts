/**
 * The ciphertext record: AES-256-GCM under a tenant data key, as one self-describing string
 * `enc1:<key version>:<iv>:<ciphertext>:<tag>` (base64url parts). The AAD binds the value to
 * where it lives (tenant, table, column, row id) and to the key version, so a record copied to
 * another row, column or tenant, or relabelled with another version, fails authentication.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

const PREFIX = "enc1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Where a ciphertext lives; bound into the AES-GCM AAD so a copied ciphertext fails to decrypt. */
export interface SecretContext {
  tenantId: string;
  table: string;
  column: string;
  rowId: string;
}

export interface CiphertextRecord {
  version: number;
  iv: Buffer;
  body: Buffer;
  tag: Buffer;
}

/** A ciphertext failed to parse or authenticate, or its key is unavailable. Never carries data. */
export class VaultError extends Error {
  constructor(
    message: string,
    readonly code: "malformed" | "unknown_key" | "authentication_failed",
  ) {
    super(message);
    this.name = "VaultError";
  }
}

function aad(ctx: SecretContext, version: number): Buffer {
  // A JSON array: no separator a table or row id could smuggle in.
  return Buffer.from(JSON.stringify(["adinsights-vault/1", ctx.tenantId, ctx.table, ctx.column, ctx.rowId, version]));
}

export function sealWith(key: Buffer, version: number, ctx: SecretContext, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv).setAAD(aad(ctx, version));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [PREFIX, String(version), iv.toString("base64url"), body.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(":");
}

export function parseRecord(ciphertext: string): CiphertextRecord {
  const parts = ciphertext.split(":");
  const [prefix, version, iv, body, tag] = parts;
  if (parts.length !== 5 || prefix !== PREFIX || !/^[1-9]\d{0,8}$/.test(version ?? ""))
    throw new VaultError("Not a vault ciphertext record.", "malformed");
  const record = {
    version: Number(version),
    iv: Buffer.from(iv!, "base64url"),
    body: Buffer.from(body!, "base64url"),
    tag: Buffer.from(tag!, "base64url"),
  };
  if (record.iv.length !== IV_BYTES || record.tag.length !== TAG_BYTES)
    throw new VaultError("Not a vault ciphertext record.", "malformed");
  return record;
}

export function openWith(key: Buffer, record: CiphertextRecord, ctx: SecretContext): string {
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, record.iv, { authTagLength: TAG_BYTES }).setAAD(aad(ctx, record.version));
    decipher.setAuthTag(record.tag);
    return Buffer.concat([decipher.update(record.body), decipher.final()]).toString("utf8");
  } catch {
    throw new VaultError("Ciphertext failed authentication for this location.", "authentication_failed");
  }
}
