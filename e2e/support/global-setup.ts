/**
 * Vitest global setup: one fresh Postgres database for the run, migrated by the real `migrate`
 * code, and the production build of the app started against it as the non-owner app role.
 * Tests reach the app only over HTTP, like any client of the REST contract.
 */
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startFakeKms } from "../fakes/kms";
import { startSesFake } from "../fakes/ses";
import { dropTestDatabase, migratedTestDatabase } from "./postgres";
import { ARTIFACTS, assertProductionBuild } from "./stack";
import { startAppServer } from "./app-server";
import { dropRedisKeys } from "./redis-keys";
import { freePort } from "./net";
import { startFakes } from "../fakes";
import { dropQueuePrefix, spawnWorker } from "./worker";


declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    appDatabaseUrl: string;
    ownerDatabaseUrl: string;
    serverLog: string;
    testEnv: Record<string, string>;
    /** The SESv2 fake (e2e/fakes/ses.ts): GET `${sesFakeUrl}/_fake/messages?to=…` reads mail. */
    sesFakeUrl: string;
    /** A second app on the same database whose from-address is outside SES_EXPECTED_FROM_DOMAIN. */
    foreignSenderBaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const dbName = `adinsights_test_${process.pid}_${Date.now()}`;
  assertProductionBuild();
  const { ownerUrl, appUrl } = await migratedTestDatabase(dbName);

  // Mail goes through the real SES code path to the fake; only adinsights.test is "verified" there.
  const ses = await startSesFake({ verifiedDomains: ["adinsights.test"] });
  // The app runs with NODE_ENV=production, where the vault needs a real (here: fake) AWS KMS.
  // One AWS credential set serves every AWS fake, as one IAM identity would in production.
  const fakeKms = await startFakeKms({ region: "us-east-1", accessKeyId: "AKIAFAKESESTESTKEY00", secretAccessKey: "fake-ses-secret-key-for-tests-only" });
  // Google, Meta and Airbyte fakes: the app reaches them only through their base-URL settings.
  const fakes = await startFakes();

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const testEnv: Record<string, string> = {
    NODE_ENV: "production",
    DATABASE_URL: appUrl,
    MIGRATION_DATABASE_URL: ownerUrl,
    SECRET_KEY: "integration-tests-signing-key-0123456789abcdef",
    REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/0",
    // Runs share one Redis: each run's keys live under its own prefix.
    REDIS_KEY_PREFIX: `adinsights-test-${process.pid}-${Date.now()}`,
    // Every test logs in from 127.0.0.1; the real limits are tested on servers of their own
    // (e2e/api/rate-limits.test.ts).
    DRF_THROTTLE_AUTH_BURST: "1000000/min",
    DRF_THROTTLE_AUTH_SUSTAINED: "1000000/day",
    DRF_THROTTLE_PUBLIC: "1000000/min",
    // Likewise the per-user limits (one admin per test file invites and syncs freely); e2e/api/user-throttles.test.ts.
    USER_THROTTLE_INVITES_BURST: "1000000/min",
    USER_THROTTLE_SYNC: "1000000/min",
    USER_THROTTLE_CONNECT: "1000000/min",
    USER_THROTTLE_PROVISION: "1000000/min",
    FRONTEND_BASE_URL: baseUrl,
    CORS_ALLOWED_ORIGINS: "https://app.example.test,http://localhost:5173",
    ALLOW_DEFAULT_ADMIN: "true",
    DJANGO_DEFAULT_ADMIN_EMAIL: "admin@example.com",
    DJANGO_DEFAULT_ADMIN_PASSWORD: "integration-admin-pass",
    NEXT_TELEMETRY_DISABLED: "1",
    LOG_LEVEL: "info",
    EMAIL_PROVIDER: "ses",
    EMAIL_FROM_ADDRESS: "no-reply@adinsights.test",
    SES_EXPECTED_FROM_DOMAIN: "adinsights.test",
    SES_CONFIGURATION_SET: "adinsights-test",
    AWS_ENDPOINT_URL_SESV2: ses.url,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "AKIAFAKESESTESTKEY00",
    AWS_SECRET_ACCESS_KEY: "fake-ses-secret-key-for-tests-only",
    ...fakeKms.env(),
    ...fakes.env,
    OUTBOUND_TIMEOUT_MS: "1500",
    AIRBYTE_POLL_INTERVAL_MS: "100",
    // The sync tracker follows running syncs four times a second, looking at each at least every second.
    SYNC_TRACKER_INTERVAL_MS: "250",
    SYNC_CHECK_MAX_INTERVAL_MS: "1000",
    TOKEN_UPKEEP_SCHEDULE: "* * * * * *",
    SYNC_SWEEP_SCHEDULE: "* * * * * *",
    // Short locks so a killed worker's job is picked up again quickly.
    WORKER_LOCK_DURATION_MS: "4000",
    WORKER_STALLED_INTERVAL_MS: "2000",
    // Health: token renewals and webhook retries back off in milliseconds here, not minutes;
    // the receivers in the tests listen on 127.0.0.1 (SSRF refusals are tested on their own app).
    TOKEN_REFRESH_RETRY_BASE_MS: "200",
    TOKEN_REFRESH_MAX_ATTEMPTS: "3",
    TOKEN_REFRESH_COOLDOWN_MS: "1000",
    WEBHOOKS_ALLOW_PRIVATE: "true",
    WEBHOOK_RETRY_BASE_MS: "200",
    WEBHOOK_TIMEOUT_MS: "2000",
    WEBHOOK_SWEEP_SCHEDULE: "*/5 * * * * *",
    // ~8.6 s of failing deliveries disables an endpoint (3 days in production).
    WEBHOOK_DISABLE_AFTER_DAYS: "0.0001",
    // Per-run queue namespace: other runs share this Redis.
    QUEUE_PREFIX: `adinsights-test-${process.pid}-${Date.now()}`,
  };
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
  project.provide("sesFakeUrl", ses.url);
  project.provide("foreignSenderBaseUrl", foreignSenderBaseUrl);

  return async () => {
    worker.child.kill("SIGTERM");
    await worker.exited;
    workerLog.end();
    await Promise.all([server.stop(), foreignSender.stop()]);
    await ses.close();
    await fakeKms.close();
    await fakes.close();
    await dropQueuePrefix(testEnv.REDIS_URL!, testEnv.QUEUE_PREFIX!).catch(() => {});
    await dropRedisKeys(testEnv.REDIS_URL!, testEnv.REDIS_KEY_PREFIX!);
    if (!process.env.KEEP_TEST_DB) await dropTestDatabase(dbName);
  };
}

