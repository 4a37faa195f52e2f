/**
 * Static checks of the aws KMS settings, shared by env validation (start-up refusal) and the
 * provider. Imports nothing that imports env: server/env.ts uses it.
 */
import { isPlaceholder } from "../../placeholder";

const KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):(\d{12}):(key\/([A-Za-z0-9-]+)|alias\/([A-Za-z0-9/_-]+))$/;
/** What AWS key ids are: a UUID, or `mrk-` and 32 hex digits for a multi-Region key. */
const KEY_ID = /^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;
const ALIAS = /^alias\/([A-Za-z0-9/_-]+)$/;

/** The region of a KMS key ARN, or null for a bare key id / alias. */
export function arnRegion(keyId: string): string | null {
  return KEY_ARN.exec(keyId)?.[1] ?? null;
}

type Problem = { variable: string; message: string };

/**
 * A well-formed value that still cannot name a key: an ARN whose `key/…` part is not a key id
 * (`…:key/replace-me`), or an alias (bare or in an ARN) that is a placeholder. Without this the
 * process would start and fail on the first secret it writes.
 */
function unrealKey(keyId: string): Problem | null {
  const arn = KEY_ARN.exec(keyId);
  const key = arn?.[4];
  const alias = arn ? arn[5] : ALIAS.exec(keyId)?.[1];
  if (key !== undefined && !KEY_ID.test(key))
    return { variable: "KMS_KEY_ID", message: "is an ARN whose key part is not a KMS key id (a UUID, or mrk- and 32 hex digits)" };
  if (alias !== undefined && isPlaceholder(alias)) return { variable: "KMS_KEY_ID", message: "names a placeholder alias" };
  return null;
}

/** Why a KMS_KEY_ID / AWS_REGION pair is unusable, naming the variable, or null when fine. */
export function awsKmsProblem(keyId: string | undefined, region: string | undefined): Problem | null {
  if (!keyId) return { variable: "KMS_KEY_ID", message: "is required when KMS_PROVIDER=aws (missing or a placeholder)" };
  if (!KEY_ARN.test(keyId) && !KEY_ID.test(keyId) && !ALIAS.test(keyId))
    return { variable: "KMS_KEY_ID", message: "must be a KMS key id, alias or ARN" };
  const unreal = unrealKey(keyId);
  if (unreal) return unreal;
  if (!region) return { variable: "AWS_REGION", message: "is required when KMS_PROVIDER=aws" };
  const inArn = arnRegion(keyId);
  if (inArn && inArn !== region)
    return { variable: "KMS_KEY_ID", message: `is an ARN in region ${inArn} but AWS_REGION is ${region}` };
  return null;
}
