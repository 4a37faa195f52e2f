/**
 * For tests that call server code in-process (vault, rotation): the same settings as the app
 * under test (database as the app login role, fake KMS), with caches reset so they take effect.
 */
import { inject } from "vitest";
import { closeDatabase } from "../../server/db/client";
import { resetEnvCache } from "../../server/env";
import { resetKms } from "../../server/infra/kms";

const original = { ...process.env };

export function useAppEnv(overrides: Record<string, string> = {}): Record<string, string> {
  const { NODE_ENV: _keep, ...appEnv } = inject("testEnv");
  const applied = { ...appEnv, LOG_LEVEL: "warn", ...overrides };
  Object.assign(process.env, applied);
  resetEnvCache();
  resetKms();
  return applied;
}

/** Closes the in-process database handle and restores the environment the test file started with. */
export async function releaseAppEnv(): Promise<void> {
  await closeDatabase();
  for (const key of Object.keys(process.env)) if (!(key in original)) delete process.env[key];
  Object.assign(process.env, original);
  resetEnvCache();
  resetKms();
}
