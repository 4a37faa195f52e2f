/**
 * Static checks of the aws KMS settings, shared by env validation (start-up refusal) and the
 * provider. No imports: server/env.ts uses it.
 */

const KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(key\/[A-Za-z0-9-]+|alias\/[A-Za-z0-9/_-]+)$/;
const KEY_ID = /^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const ALIAS = /^alias\/[A-Za-z0-9/_-]+$/;

/** The region of a KMS key ARN, or null for a bare key id / alias. */
export function arnRegion(keyId: string): string | null {
  return KEY_ARN.exec(keyId)?.[1] ?? null;
}

/** Why a KMS_KEY_ID / AWS_REGION pair is unusable, naming the variable, or null when fine. */
export function awsKmsProblem(keyId: string | undefined, region: string | undefined): { variable: string; message: string } | null {
  if (!keyId) return { variable: "KMS_KEY_ID", message: "is required when KMS_PROVIDER=aws (missing or a placeholder)" };
  if (!KEY_ARN.test(keyId) && !KEY_ID.test(keyId) && !ALIAS.test(keyId))
    return { variable: "KMS_KEY_ID", message: "must be a KMS key id, alias or ARN" };
  if (!region) return { variable: "AWS_REGION", message: "is required when KMS_PROVIDER=aws" };
  const inArn = arnRegion(keyId);
  if (inArn && inArn !== region)
    return { variable: "KMS_KEY_ID", message: `is an ARN in region ${inArn} but AWS_REGION is ${region}` };
  return null;
}
