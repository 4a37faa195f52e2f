/**
 * AWS KMS: data keys from GenerateDataKey, unwrapped with Decrypt, moved to a new master key
 * with ReEncrypt (the plaintext never leaves KMS for that). Every call carries the encryption
 * context {tenant_id}, so a wrapped key copied to another tenant does not unwrap.
 *
 * The endpoint comes from the SDK's own AWS_ENDPOINT_URL_KMS override (tests point it at
 * e2e/fakes/kms.ts); credentials from the SDK's default chain.
 */
import {
  DecryptCommand,
  GenerateDataKeyCommand,
  KMSClient,
  KMSServiceException,
  ReEncryptCommand,
} from "@aws-sdk/client-kms";
import { encryptionContext, KmsError, type KmsProvider } from "./types";

function wrapError(error: unknown, operation: string): KmsError {
  if (error instanceof KMSServiceException) return new KmsError(`KMS ${operation} failed: ${error.name}`, error.name);
  const name = error instanceof Error ? error.name : "Error";
  return new KmsError(`KMS ${operation} failed: ${name}`, name);
}

export function createAwsKms(options: { keyId: string; region: string; client?: KMSClient }): KmsProvider {
  const client = options.client ?? new KMSClient({ region: options.region, maxAttempts: 3 });
  const bytes = (b: Uint8Array | undefined, what: string): Buffer => {
    if (!b) throw new KmsError(`KMS response is missing ${what}.`, "MalformedResponse");
    return Buffer.from(b);
  };

  return {
    name: "aws",
    currentKeyId: () => options.keyId,
    async generateDataKey(tenantId) {
      const out = await client
        .send(new GenerateDataKeyCommand({ KeyId: options.keyId, KeySpec: "AES_256", EncryptionContext: encryptionContext(tenantId) }))
        .catch((e: unknown) => Promise.reject(wrapError(e, "GenerateDataKey")));
      // Store the ARN KMS reports, so an alias later pointed elsewhere still finds this key.
      return { plaintext: bytes(out.Plaintext, "Plaintext"), wrapped: bytes(out.CiphertextBlob, "CiphertextBlob"), keyId: out.KeyId ?? options.keyId };
    },
    async decryptDataKey(tenantId, wrapped, keyId) {
      const out = await client
        .send(new DecryptCommand({ CiphertextBlob: wrapped, KeyId: keyId, EncryptionContext: encryptionContext(tenantId) }))
        .catch((e: unknown) => Promise.reject(wrapError(e, "Decrypt")));
      return bytes(out.Plaintext, "Plaintext");
    },
    async rewrapDataKey(tenantId, wrapped, keyId) {
      const out = await client
        .send(
          new ReEncryptCommand({
            CiphertextBlob: wrapped,
            SourceKeyId: keyId,
            SourceEncryptionContext: encryptionContext(tenantId),
            DestinationKeyId: options.keyId,
            DestinationEncryptionContext: encryptionContext(tenantId),
          }),
        )
        .catch((e: unknown) => Promise.reject(wrapError(e, "ReEncrypt")));
      return { wrapped: bytes(out.CiphertextBlob, "CiphertextBlob"), keyId: out.KeyId ?? options.keyId };
    },
  };
}
