/**
 * For tests that call server code in-process (vault, rotation): the same settings as the app
 * under test (database as the app login role, fake KMS), with caches reset so they take effect.
 */
import { inject } from "vitest";
import { resetEnvCache } from "../../server/env";
import { resetKms } from "../../server/infra/kms";

export function useAppEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const { NODE_ENV: _keep, ...appEnv } = inject("testEnv");
  const applied = { ...appEnv, LOG_LEVEL: "warn", ...overrides };
  Object.assign(process.env, applied);
  resetEnvCache();
  resetKms();
  return applied;
}
