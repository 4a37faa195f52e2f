/** The process's KMS provider, chosen by KMS_PROVIDER and built on first use. */
import { env, type Env } from "../../env";
import { createAwsKms } from "./aws";
import { awsKmsProblem } from "./key-id";
import { createLocalKms } from "./local";
import { KmsError, type KmsProvider } from "./types";

export { KmsError, type DataKey, type KmsProvider } from "./types";

export function createKms(e: Env): KmsProvider {
  if (e.KMS_PROVIDER === "local") return createLocalKms({ nodeEnv: e.NODE_ENV, masterKey: e.KMS_LOCAL_MASTER_KEY });
  const problem = awsKmsProblem(e.KMS_KEY_ID, e.AWS_REGION);
  if (problem) throw new KmsError(`${problem.variable} ${problem.message}`, "config");
  return createAwsKms({ keyId: e.KMS_KEY_ID!, region: e.AWS_REGION! });
}

let current: KmsProvider | undefined;

export function kms(): KmsProvider {
  current ??= createKms(env());
  return current;
}

/** Tests and benches that switch provider settings call this after resetEnvCache(). */
export function resetKms(): void {
  current = undefined;
}
