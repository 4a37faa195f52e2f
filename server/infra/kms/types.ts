/** The key-management service as the vault sees it: it only ever wraps and unwraps data keys. */

export interface DataKey {
  /** 32 raw bytes; lives only in memory (and the vault's short-lived cache). */
  plaintext: Buffer;
  /** The same key encrypted by the KMS master key, bound to the tenant (encryption context). */
  wrapped: Buffer;
  /** The master key that wrapped it, as the KMS names it (ARN for aws, `local:<fingerprint>`). */
  keyId: string;
}

export interface KmsProvider {
  readonly name: "local" | "aws";
  /** A fresh 256-bit data key for `tenantId`. */
  generateDataKey(tenantId: string): Promise<DataKey>;
  /** Unwraps a data key; fails if it was wrapped for another tenant or under another key. */
  decryptDataKey(tenantId: string, wrapped: Buffer, keyId: string): Promise<Buffer>;
  /**
   * Re-wraps a data key under the current master key without exposing it to us where the KMS
   * allows that (aws: ReEncrypt). Used when the master key changed since the DEK was made.
   */
  rewrapDataKey(tenantId: string, wrapped: Buffer, keyId: string): Promise<{ wrapped: Buffer; keyId: string }>;
  /** The master key new data keys are wrapped under. */
  currentKeyId(): string;
}

/** A KMS call failed. The message is safe to log: it never contains key material. */
export class KmsError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = "KmsError";
  }
}

/** The encryption context every wrap and unwrap is bound to (the AWS KMS name and shape). */
export const encryptionContext = (tenantId: string) => ({ tenant_id: tenantId });
