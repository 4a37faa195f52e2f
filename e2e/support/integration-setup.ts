/**
 * Vitest global setup of the `integration` project: one fresh Postgres database for the run,
 * migrated by the real `migrate` code, and the env the app would run with (stackEnv, without
 * fakes or servers). Tests call server code in-process against it (useAppEnv) as the app role;
 * nothing is built or started.
 */
import type { TestProject } from "vitest/node";
import { dropTestDatabase, migratedTestDatabase } from "./postgres";
import { dropRedisKeys } from "./redis-keys";
import { stackEnv } from "./stack-env";

export default async function setup(project: TestProject) {
  const dbName = `adinsights_integration_${process.pid}_${Date.now()}`;
  const { ownerUrl, appUrl } = await migratedTestDatabase(dbName);
  const testEnv = stackEnv({ name: "integration", database: { appUrl, ownerUrl } });
  project.provide("appDatabaseUrl", appUrl);
  project.provide("ownerDatabaseUrl", ownerUrl);
  project.provide("testEnv", testEnv);
  return async () => {
    await dropRedisKeys(testEnv.REDIS_URL!, testEnv.REDIS_KEY_PREFIX!).catch(() => {});
    if (!process.env.KEEP_TEST_DB) await dropTestDatabase(dbName);
  };
}
