/**
 * Starts the production app on a fresh database for the browser tests, with the fakes of every
 * external service (SES, KMS, Google, Meta, Airbyte) and the worker, so syncs really run; returns
 * its teardown. The connector settings match the vitest setup's (e2e/support/global-setup.ts).
 */
import { createWriteStream } from "node:fs";
import path from "node:path";
import { startFakes } from "../fakes";
import { startFakeKms } from "../fakes/kms";
import { startSesFake } from "../fakes/ses";
import { ARTIFACTS, startStack } from "../support/stack";
import { dropQueuePrefix, spawnWorker } from "../support/worker";

export const BROWSER_ADMIN = { email: "admin@example.com", password: "browser-admin-pass" };

const AWS_IDENTITY = { region: "us-east-1", accessKeyId: "AKIAFAKESESTESTKEY00", secretAccessKey: "fake-ses-secret-key-for-tests-only" };

export default async function globalSetup() {
  // Invite and reset e-mails go through the real SES code path to the fake, where specs read them.
  const ses = await startSesFake({ verifiedDomains: ["adinsights.test"] });
  // In production the vault needs AWS KMS (here its fake); connectors reach Google, Meta and Airbyte fakes.
  const kms = await startFakeKms(AWS_IDENTITY);
  const fakes = await startFakes();
  const queuePrefix = `adinsights-browser-${process.pid}-${Date.now()}`;
  const stack = await startStack({
    name: "adinsights_browser",
    log: path.join(ARTIFACTS, "browser-server.log"),
    env: {
      ALLOW_DEFAULT_ADMIN: "true",
      DJANGO_DEFAULT_ADMIN_EMAIL: BROWSER_ADMIN.email,
      DJANGO_DEFAULT_ADMIN_PASSWORD: BROWSER_ADMIN.password,
      DJANGO_DEFAULT_TENANT_NAME: "Browser Test Agency",
      EMAIL_PROVIDER: "ses",
      EMAIL_FROM_ADDRESS: "no-reply@adinsights.test",
      SES_EXPECTED_FROM_DOMAIN: "adinsights.test",
      AWS_ENDPOINT_URL_SESV2: ses.url,
      AWS_REGION: AWS_IDENTITY.region,
      AWS_ACCESS_KEY_ID: AWS_IDENTITY.accessKeyId,
      AWS_SECRET_ACCESS_KEY: AWS_IDENTITY.secretAccessKey,
      ...kms.env(),
      ...fakes.env,
      // No default exists for this definition; the fakes accept any id.
      AIRBYTE_SOURCE_DEFINITION_FACEBOOK_PAGES: "778daa7c-feaf-4db6-96f3-70fd645acc77",
      OUTBOUND_TIMEOUT_MS: "1500",
      AIRBYTE_POLL_INTERVAL_MS: "100",
      SYNC_TRACKER_INTERVAL_MS: "250",
      SYNC_CHECK_MAX_INTERVAL_MS: "1000",
      // Per-run queue namespace: other runs share this Redis.
      QUEUE_PREFIX: queuePrefix,
      // The settings test registers a local endpoint.
      WEBHOOKS_ALLOW_PRIVATE: "true",
    },
  });
  // The worker runs the syncs the page starts; it gets the app's exact environment.
  const worker = await spawnWorker(stack.env);
  const workerLog = createWriteStream(path.join(ARTIFACTS, "browser-worker.log"), { flags: "w" });
  worker.child.stdout?.pipe(workerLog);
  worker.child.stderr?.pipe(workerLog);

  // Workers inherit the environment set here.
  process.env.E2E_BASE_URL = stack.baseUrl;
  process.env.E2E_SES_URL = ses.url;
  process.env.E2E_DATABASE_URL = stack.ownerUrl;
  process.env.E2E_AIRBYTE_URL = fakes.airbyte.url;
  return async () => {
    worker.child.kill("SIGTERM");
    await worker.exited;
    workerLog.end();
    await stack.stop();
    await Promise.all([ses.close(), kms.close(), fakes.close()]);
    await dropQueuePrefix(stack.env.REDIS_URL!, queuePrefix).catch(() => {});
  };
}
