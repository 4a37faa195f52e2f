/**
 * Starts the production app on a fresh database for the browser tests, with the fakes of every
 * external service (SES, KMS, Google, Meta, Airbyte) and the worker, so syncs really run; returns
 * its teardown. The env comes from e2e/support/stack-env.ts, as the vitest stacks' does.
 */
import { createWriteStream } from "node:fs";
import path from "node:path";
import { ARTIFACTS, startStack } from "../support/stack";
import { BROWSER_ADMIN, BROWSER_ENV, startExternalFakes } from "../support/stack-env";
import { dropQueuePrefix, spawnWorker } from "../support/worker";

export { BROWSER_ADMIN };

export default async function globalSetup() {
  const externals = await startExternalFakes();
  const stack = await startStack({
    name: "adinsights_browser",
    log: path.join(ARTIFACTS, "browser-server.log"),
    externals,
    env: BROWSER_ENV,
  });
  // The worker runs the syncs the page starts; it gets the app's exact environment.
  const worker = await spawnWorker(stack.env);
  const workerLog = createWriteStream(path.join(ARTIFACTS, "browser-worker.log"), { flags: "w" });
  worker.child.stdout?.pipe(workerLog);
  worker.child.stderr?.pipe(workerLog);

  // Workers inherit the environment set here.
  process.env.E2E_BASE_URL = stack.baseUrl;
  process.env.E2E_SES_URL = externals.ses.url;
  process.env.E2E_DATABASE_URL = stack.ownerUrl;
  process.env.E2E_AIRBYTE_URL = externals.fakes.airbyte.url;
  return async () => {
    worker.child.kill("SIGTERM");
    await worker.exited;
    workerLog.end();
    await stack.stop();
    await externals.close();
    await dropQueuePrefix(stack.env.REDIS_URL!, stack.env.QUEUE_PREFIX!).catch(() => {});
  };
}
