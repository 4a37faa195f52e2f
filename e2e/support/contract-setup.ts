/**
 * Vitest global setup of the `contract` project: one fresh Postgres database for the run,
 * migrated by the real `migrate` code, the fakes of every external service, and the production
 * build of the app (twice: the shared server and a foreign-sender one) and its worker started
 * against it as the non-owner app role. Tests reach the app over HTTP, like any client of the
 * REST contract, or run the built worker and CLIs.
 */
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { dropTestDatabase, migratedTestDatabase } from "./postgres";
import { ARTIFACTS, assertProductionBuild } from "./stack";
import { CONTRACT_ENV, stackEnv, startExternalFakes } from "./stack-env";
import { startAppServer } from "./app-server";
import { dropRedisKeys } from "./redis-keys";
import { freePort } from "./net";
import { dropQueuePrefix, spawnWorker } from "./worker";

export default async function setup(project: TestProject) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const dbName = `adinsights_test_${process.pid}_${Date.now()}`;
  assertProductionBuild();
  const { ownerUrl, appUrl } = await migratedTestDatabase(dbName);
  const externals = await startExternalFakes();

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const testEnv = stackEnv({ name: "test", database: { appUrl, ownerUrl }, baseUrl, externals, overrides: CONTRACT_ENV });
  const serverLog = path.join(ARTIFACTS, "server.log");
  const foreignPort = await freePort();
  const foreignSenderBaseUrl = `http://127.0.0.1:${foreignPort}`;
  const [server, foreignSender] = await Promise.all([
    startAppServer(testEnv, { port, logFile: serverLog }),
    startAppServer(
      { ...testEnv, ALLOW_DEFAULT_ADMIN: "false", EMAIL_FROM_ADDRESS: "no-reply@elsewhere.test" },
      { port: foreignPort, logFile: path.join(ARTIFACTS, "server-foreign-sender.log") },
    ),
  ]);
  // One worker for the run (syncs, token upkeep); its output goes to worker.log.
  const worker = await spawnWorker(testEnv);
  const workerLog = createWriteStream(path.join(ARTIFACTS, "worker.log"), { flags: "w" });
  worker.child.stdout?.pipe(workerLog);
  worker.child.stderr?.pipe(workerLog);

  project.provide("baseUrl", baseUrl);
  project.provide("appDatabaseUrl", appUrl);
  project.provide("ownerDatabaseUrl", ownerUrl);
  project.provide("serverLog", serverLog);
  project.provide("testEnv", testEnv);
  project.provide("sesFakeUrl", externals.ses.url);
  project.provide("foreignSenderBaseUrl", foreignSenderBaseUrl);

  return async () => {
    worker.child.kill("SIGTERM");
    await worker.exited;
    workerLog.end();
    await Promise.all([server.stop(), foreignSender.stop()]);
    await externals.close();
    await dropQueuePrefix(testEnv.REDIS_URL!, testEnv.QUEUE_PREFIX!).catch(() => {});
    await dropRedisKeys(testEnv.REDIS_URL!, testEnv.REDIS_KEY_PREFIX!);
    if (!process.env.KEEP_TEST_DB) await dropTestDatabase(dbName);
  };
}
