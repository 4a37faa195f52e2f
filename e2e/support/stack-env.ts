/**
 * The environment of the app under test, written once. Every stack builds its env here: the
 * vitest contract setup (e2e/support/contract-setup.ts), the vitest integration setup
 * (e2e/support/integration-setup.ts), the browser setup (e2e/browser/global-setup.ts) and the
 * benches (both through startStack, e2e/support/stack.ts). A setting added for one stack is then
 * visibly absent, or present, for the others.
 *
 * An env is three layers, later ones winning:
 *   base       every stack: production mode, its database as the non-owner app role, Redis keys
 *              and queues under a prefix of their own, a signing key, limits test traffic cannot hit
 *   externals  stacks with the fakes of SES, KMS, Google, Meta and Airbyte (startExternalFakes),
 *              with polling short enough for a test to wait for
 *   profile    what one kind of stack wants differently: CONTRACT_ENV, BROWSER_ENV
 */
import { startFakes, type Fakes } from "../fakes";
import { startFakeKms, type FakeKms } from "../fakes/kms";
import { startSesFake, type SesFake } from "../fakes/ses";

declare module "vitest" {
  export interface ProvidedContext {
    /** Integration and contract: the run's database as the owner and as the app login role. */
    appDatabaseUrl: string;
    ownerDatabaseUrl: string;
    /** Integration and contract: the env of the run's stack (stackEnv). */
    testEnv: Record<string, string>;
    /** Contract only: the shared production server, its log, and the fakes it talks to. */
    baseUrl: string;
    serverLog: string;
    /** The SESv2 fake (e2e/fakes/ses.ts): GET `${sesFakeUrl}/_fake/messages?to=…` reads mail. */
    sesFakeUrl: string;
    /** A second app on the same database whose from-address is outside SES_EXPECTED_FROM_DOMAIN. */
    foreignSenderBaseUrl: string;
  }
}

/** One AWS credential set serves every AWS fake (SES, KMS), as one IAM identity would in production. */
export const TEST_AWS_IDENTITY = {
  region: "us-east-1",
  accessKeyId: "AKIAFAKESESTESTKEY00",
  secretAccessKey: "fake-ses-secret-key-for-tests-only",
};

/** The only domain the SES fake treats as verified; mail from elsewhere is refused there. */
export const TEST_MAIL_DOMAIN = "adinsights.test";

/** The default admin the browser tests sign in as (the contract tests use their own, CONTRACT_ENV). */
export const BROWSER_ADMIN = { email: "admin@example.com", password: "browser-admin-pass" };

export interface ExternalFakes {
  ses: SesFake;
  kms: FakeKms;
  fakes: Fakes;
  /** Points the app and worker at every fake. */
  env: Record<string, string>;
  close(): Promise<void>;
}

/** Starts the fakes of every external service the app talks to. */
export async function startExternalFakes(): Promise<ExternalFakes> {
  // Mail goes through the real SES code path to the fake, where tests read it.
  const ses = await startSesFake({ verifiedDomains: [TEST_MAIL_DOMAIN] });
  // The app runs with NODE_ENV=production, where the vault needs a real (here: fake) AWS KMS.
  const kms = await startFakeKms(TEST_AWS_IDENTITY);
  // Google, Meta and Airbyte: the app reaches them only through their base-URL settings.
  const fakes = await startFakes();
  return {
    ses,
    kms,
    fakes,
    env: {
      EMAIL_PROVIDER: "ses",
      EMAIL_FROM_ADDRESS: `no-reply@${TEST_MAIL_DOMAIN}`,
      SES_EXPECTED_FROM_DOMAIN: TEST_MAIL_DOMAIN,
      SES_CONFIGURATION_SET: "adinsights-test",
      AWS_ENDPOINT_URL_SESV2: ses.url,
      AWS_REGION: TEST_AWS_IDENTITY.region,
      AWS_ACCESS_KEY_ID: TEST_AWS_IDENTITY.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_AWS_IDENTITY.secretAccessKey,
      ...kms.env(),
      ...fakes.env,
      OUTBOUND_TIMEOUT_MS: "1500",
      AIRBYTE_POLL_INTERVAL_MS: "100",
      // The sync tracker follows running syncs four times a second, looking at each at least every second.
      SYNC_TRACKER_INTERVAL_MS: "250",
      SYNC_CHECK_MAX_INTERVAL_MS: "1000",
      // Webhook receivers in the tests listen on 127.0.0.1 (SSRF refusals are tested on an app of their own).
      WEBHOOKS_ALLOW_PRIVATE: "true",
    },
    close: async () => {
      await Promise.all([ses.close(), kms.close(), fakes.close()]);
    },
  };
}

/** What the contract tests (e2e/api, e2e/faults, the built worker and CLIs) run with on top. */
export const CONTRACT_ENV: Record<string, string> = {
  CORS_ALLOWED_ORIGINS: "https://app.example.test,http://localhost:5173",
  ALLOW_DEFAULT_ADMIN: "true",
  DJANGO_DEFAULT_ADMIN_EMAIL: "admin@example.com",
  DJANGO_DEFAULT_ADMIN_PASSWORD: "integration-admin-pass",
  TOKEN_UPKEEP_SCHEDULE: "* * * * * *",
  SYNC_SWEEP_SCHEDULE: "* * * * * *",
  // Short locks so a killed worker's job is picked up again quickly.
  WORKER_LOCK_DURATION_MS: "4000",
  WORKER_STALLED_INTERVAL_MS: "2000",
  // Health: token renewals and webhook retries back off in milliseconds here, not minutes.
  TOKEN_REFRESH_RETRY_BASE_MS: "200",
  TOKEN_REFRESH_MAX_ATTEMPTS: "3",
  TOKEN_REFRESH_COOLDOWN_MS: "1000",
  WEBHOOK_RETRY_BASE_MS: "200",
  WEBHOOK_TIMEOUT_MS: "2000",
  WEBHOOK_SWEEP_SCHEDULE: "*/5 * * * * *",
  // ~8.6 s of failing deliveries disables an endpoint (3 days in production).
  WEBHOOK_DISABLE_AFTER_DAYS: "0.0001",
};

/** What the browser tests run with on top: their own admin and agency, every connector usable. */
export const BROWSER_ENV: Record<string, string> = {
  ALLOW_DEFAULT_ADMIN: "true",
  DJANGO_DEFAULT_ADMIN_EMAIL: BROWSER_ADMIN.email,
  DJANGO_DEFAULT_ADMIN_PASSWORD: BROWSER_ADMIN.password,
  DJANGO_DEFAULT_TENANT_NAME: "Browser Test Agency",
  // No default exists for this definition (the contract tests check the 400 without it); the fakes accept any id.
  AIRBYTE_SOURCE_DEFINITION_FACEBOOK_PAGES: "778daa7c-feaf-4db6-96f3-70fd645acc77",
};

export interface StackEnvOptions {
  /** Names the run in its Redis key and queue prefixes, e.g. "test", "browser". */
  name: string;
  database: { appUrl: string; ownerUrl: string };
  /** The app's own origin (e-mail links, OAuth redirects); absent when no server runs. */
  baseUrl?: string;
  externals?: ExternalFakes;
  /** The stack's profile (CONTRACT_ENV, BROWSER_ENV) and any setting of its own; wins over the rest. */
  overrides?: Record<string, string>;
}

export function stackEnv(options: StackEnvOptions): Record<string, string> {
  // Runs share one Redis: each run's keys and queues live under a prefix of its own.
  const prefix = `adinsights-${options.name}-${process.pid}-${Date.now()}`;
  return {
    NODE_ENV: "production",
    DATABASE_URL: options.database.appUrl,
    MIGRATION_DATABASE_URL: options.database.ownerUrl,
    SECRET_KEY: "integration-tests-signing-key-0123456789abcdef",
    REDIS_URL: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/0",
    REDIS_KEY_PREFIX: prefix,
    QUEUE_PREFIX: prefix,
    ...(options.baseUrl ? { FRONTEND_BASE_URL: options.baseUrl } : {}),
    NEXT_TELEMETRY_DISABLED: "1",
    LOG_LEVEL: "info",
    // Tests and benches sign in from 127.0.0.1 far more often than a person does; the real limits
    // are tested on servers of their own (e2e/api/rate-limits.test.ts).
    DRF_THROTTLE_AUTH_BURST: "1000000/min",
    DRF_THROTTLE_AUTH_SUSTAINED: "1000000/day",
    DRF_THROTTLE_PUBLIC: "1000000/min",
    // Likewise the per-user limits (one admin per test file invites and syncs freely); their real
    // values are tested in e2e/api/user-throttles.test.ts.
    USER_THROTTLE_INVITES_BURST: "1000000/min",
    USER_THROTTLE_INVITES_SUSTAINED: "1000000/day",
    USER_THROTTLE_SYNC: "1000000/min",
    USER_THROTTLE_CONNECT: "1000000/min",
    USER_THROTTLE_PROVISION: "1000000/min",
    ...options.externals?.env,
    ...options.overrides,
  };
}
