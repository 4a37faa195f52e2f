/**
 * Every environment variable the app, the worker and the CLIs read, validated once.
 *
 * Rules from spec/integrations.md: a value is "unset" when empty or a placeholder; a bad
 * *required* value stops the process with one line naming the variable; optional integrations
 * that are not configured are reported by the service that needs them (503), never here.
 */
import "server-only";
import { z } from "zod";
import { awsKmsProblem } from "./infra/kms/key-id";
import { isPlaceholder } from "./placeholder";

export { isPlaceholder };

const TRUTHY = new Set(["1", "true", "yes", "y", "on"]);
/** Django-style boolean: `1`, `true`, `yes`, `y`, `on` (any case) are true. */
export function isTruthy(value: string | undefined): boolean {
  return value !== undefined && TRUTHY.has(value.trim().toLowerCase());
}

/** Optional string: empty and placeholder values read as unset. */
const optional = () =>
  z.preprocess((v) => (typeof v === "string" && !isPlaceholder(v) ? v.trim() : undefined), z.string().optional());
const withDefault = (fallback: string) =>
  z.preprocess((v) => (typeof v === "string" && !isPlaceholder(v) ? v.trim() : fallback), z.string());
const flag = (fallback: boolean) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() !== "" ? isTruthy(v) : fallback), z.boolean());
const int = (fallback: number, min = 0) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : fallback),
    z.number().int("must be an integer").min(min, `must be at least ${min}`),
  );
/** A non-negative number (fractions allowed: thresholds in days). */
const num = (fallback: number) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : fallback), z.number("must be a number").min(0, "must be at least 0"));
const url = (fallback?: string) =>
  z.preprocess(
    (v) => (typeof v === "string" && !isPlaceholder(v) ? v.trim().replace(/\/+$/, "") : fallback),
    fallback === undefined ? z.url("must be an absolute URL").optional() : z.url("must be an absolute URL"),
  );
/** DRF rate syntax: `<count>/<period>` where the period starts with s, m, h or d. */
const rate = (fallback: string) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? v.trim() : fallback),
    z.string().regex(/^\d+\/[smhd]\w*$/i, "must look like 10/min, 100/hour, 5/second or 1000/day"),
  );
const csv = (fallback: string) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? v : fallback),
    z.string().transform((s) =>
      s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  );

const DEV_SECRET_KEY = "adinsights-development-only-signing-key-0000";

export const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    PORT: int(3000, 1),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
    APP_VERSION: optional(),

    // Signing key for JWTs. DJANGO_SECRET_KEY is the old backend's name for it.
    SECRET_KEY: optional(),
    DJANGO_SECRET_KEY: optional(),

    // Database: postgres.js when set, embedded PGlite under PGLITE_DATA_DIR when not.
    DATABASE_URL: optional(),
    // Connection used by `npm run migrate` (owner of the tables); defaults to DATABASE_URL.
    MIGRATION_DATABASE_URL: optional(),
    PGLITE_DATA_DIR: withDefault(".data/pglite"),
    DATABASE_POOL_SIZE: int(10, 1),
    // How long opening a database connection may take before the request is answered 503 (a
    // stopped or restarting server refuses at once; this bounds an unreachable host).
    DATABASE_CONNECT_TIMEOUT_MS: int(800, 100),
    REDIS_URL: withDefault("redis://127.0.0.1:6379"),
    // Prefix of every key the app writes to Redis, so deployments (or test runs) can share one.
    REDIS_KEY_PREFIX: withDefault("adinsights"),

    TIME_ZONE: withDefault("America/Jamaica"),
    FRONTEND_BASE_URL: url("http://localhost:3000"),

    // Edge (spec/accounts.md: rate limits, CORS).
    DRF_THROTTLE_AUTH_BURST: rate("10/min"),
    DRF_THROTTLE_AUTH_SUSTAINED: rate("100/day"),
    DRF_THROTTLE_PUBLIC: rate("120/min"),
    // Per signed-in user (server/edge/rate-limit/policies.ts): invitation e-mails (invites and
    // resends together), syncs, OAuth starts/reconnects and provisions.
    USER_THROTTLE_INVITES_BURST: rate("30/min"),
    USER_THROTTLE_INVITES_SUSTAINED: rate("500/day"),
    USER_THROTTLE_SYNC: rate("60/min"),
    USER_THROTTLE_CONNECT: rate("60/min"),
    USER_THROTTLE_PROVISION: rate("60/min"),
    TRUSTED_PROXY_COUNT: int(0, 0),
    // The production server answers /api itself (server/http/fast-lane.ts); false hands /api to
    // Next's route pipeline as well (same handlers, about a millisecond more per request).
    API_FAST_LANE: flag(true),
    // Off only where a gateway in front already enforces the limits (and for the limiter bench).
    RATE_LIMITS_ENABLED: flag(true),
    UPSTASH_REDIS_REST_URL: url(),
    UPSTASH_REDIS_REST_TOKEN: optional(),
    CORS_ALLOWED_ORIGINS: csv(""),
    CORS_ALLOW_ALL_ORIGINS: flag(false),
    CORS_ALLOWED_METHODS: csv("DELETE,GET,OPTIONS,PATCH,POST,PUT"),
    CORS_ALLOWED_HEADERS: csv(
      "accept,accept-language,authorization,content-type,origin,x-correlation-id,x-requested-with,x-request-id",
    ),
    CORS_ALLOW_CREDENTIALS: flag(true),
    CORS_PREFLIGHT_MAX_AGE: int(86400, 0),

    // Default admin (spec/accounts.md). DEFAULT_ADMIN_* are accepted as shorter aliases.
    ALLOW_DEFAULT_ADMIN: flag(false),
    DJANGO_DEFAULT_TENANT_ID: optional(),
    DJANGO_DEFAULT_TENANT_NAME: optional(),
    DJANGO_DEFAULT_ADMIN_EMAIL: optional(),
    DJANGO_DEFAULT_ADMIN_USERNAME: optional(),
    DJANGO_DEFAULT_ADMIN_PASSWORD: optional(),
    DEFAULT_ADMIN_EMAIL: optional(),
    DEFAULT_ADMIN_USERNAME: optional(),
    DEFAULT_ADMIN_PASSWORD: optional(),

    // Team management and e-mail.
    INVITE_TTL_HOURS: int(168, 1),
    PASSWORD_RESET_TTL_MINUTES: int(60, 1),
    EMAIL_PROVIDER: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["log", "ses"]).default("log")),
    EMAIL_FROM_ADDRESS: withDefault("no-reply@adinsights.local"),
    SES_CONFIGURATION_SET: optional(),
    SES_EXPECTED_FROM_DOMAIN: optional(),
    AWS_ENDPOINT_URL_SESV2: url(),

    // Browser sessions (next-auth), mounted on NEXTAUTH_BASE_PATH, away from /api/auth/*.
    NEXTAUTH_URL: url(),
    NEXTAUTH_SECRET: optional(),

    // Connectors (spec/integrations.md).
    META_APP_ID: optional(),
    META_APP_SECRET: optional(),
    META_OAUTH_REDIRECT_URI: url(),
    META_OAUTH_SCOPES: withDefault("pages_show_list,pages_read_engagement,ads_read,business_management"),
    META_GRAPH_API_VERSION: withDefault("v20.0"),
    META_GRAPH_BASE_URL: url("https://graph.facebook.com"),
    META_DIALOG_BASE_URL: url("https://www.facebook.com"),
    GOOGLE_OAUTH_CLIENT_ID: optional(),
    GOOGLE_OAUTH_CLIENT_SECRET: optional(),
    GOOGLE_OAUTH_REDIRECT_URI: url(),
    GOOGLE_OAUTH_SCOPES_GOOGLE_ADS: withDefault("https://www.googleapis.com/auth/adwords openid email"),
    GOOGLE_OAUTH_SCOPES_GA4: withDefault("https://www.googleapis.com/auth/analytics.readonly openid email"),
    GOOGLE_OAUTH_SCOPES_SEARCH_CONSOLE: withDefault(
      "https://www.googleapis.com/auth/webmasters.readonly openid email",
    ),
    GOOGLE_AUTH_URL: url("https://accounts.google.com/o/oauth2/v2/auth"),
    GOOGLE_TOKEN_URL: url("https://oauth2.googleapis.com/token"),
    GOOGLE_REVOKE_URL: url("https://oauth2.googleapis.com/revoke"),
    GOOGLE_ADS_API_URL: url("https://googleads.googleapis.com/v21"),
    GOOGLE_ANALYTICS_ADMIN_API_URL: url("https://analyticsadmin.googleapis.com/v1beta"),
    GOOGLE_SEARCH_CONSOLE_API_URL: url("https://www.googleapis.com/webmasters/v3"),
    AIRBYTE_API_URL: url(),
    AIRBYTE_API_TOKEN: optional(),
    AIRBYTE_USERNAME: optional(),
    AIRBYTE_PASSWORD: optional(),
    AIRBYTE_DEFAULT_WORKSPACE_ID: optional(),
    AIRBYTE_DEFAULT_DESTINATION_ID: optional(),
    AIRBYTE_GOOGLE_ADS_DEVELOPER_TOKEN: optional(),
    AIRBYTE_GOOGLE_ADS_LOGIN_CUSTOMER_ID: optional(),
    AIRBYTE_SOURCE_DEFINITION_FACEBOOK_PAGES: optional(),
    AIRBYTE_SOURCE_DEFINITION_META: withDefault("e7778cfc-e97c-4458-9ecb-b4f2bba8946c"),
    AIRBYTE_SOURCE_DEFINITION_GOOGLE_ADS: withDefault("253487c0-2246-43ba-a21f-5116b20a2c50"),
    AIRBYTE_SOURCE_DEFINITION_GA4: withDefault("3cc2eafd-84aa-4dca-93af-322d9dfeec1a"),
    AIRBYTE_SOURCE_DEFINITION_SEARCH_CONSOLE: withDefault("eb4c9e00-db83-4d63-a386-39cfa91012a8"),
    // Outbound calls to Google, Meta and Airbyte: per-attempt timeout and the first poll delay of a sync.
    OUTBOUND_TIMEOUT_MS: int(10_000, 100),
    // Following running syncs (the sync tracker): a job's first check comes this long after it
    // starts, later ones 1.5× further apart up to SYNC_CHECK_MAX_INTERVAL_MS; the tracker runs
    // every SYNC_TRACKER_INTERVAL_MS and checks whatever is due with a few batched Airbyte calls.
    AIRBYTE_POLL_INTERVAL_MS: int(5_000, 10),
    SYNC_CHECK_MAX_INTERVAL_MS: int(60_000, 10),
    SYNC_TRACKER_INTERVAL_MS: int(5_000, 100),
    // Who runs the cron/interval schedules of connections provisioned from now on: Airbyte (the
    // spec's default: the schedule is sent to Airbyte) or our worker (Airbyte gets a manual
    // schedule; the sync sweep enqueues due runs, so every run goes through sync_jobs).
    SYNC_SCHEDULER: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["airbyte", "worker"]).default("airbyte")),

    // Credential vault.
    KMS_PROVIDER: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["local", "aws"]).default("local")),
    KMS_KEY_ID: optional(),
    KMS_LOCAL_MASTER_KEY: optional(),
    AWS_REGION: optional(),
    AWS_ENDPOINT_URL_KMS: url(),

    // Worker.
    WORKER_HEALTH_PORT: int(3001, 0),
    // Job lock lifetime and stalled-job check (a killed worker's job is retried after these);
    // 0 keeps each queue's own lock duration.
    WORKER_LOCK_DURATION_MS: int(0, 0),
    WORKER_STALLED_INTERVAL_MS: int(30_000, 100),
    // On SIGTERM, how long running jobs may take to finish before they are released.
    WORKER_SHUTDOWN_TIMEOUT_MS: int(25_000, 0),
    // Namespace of every BullMQ key, so several deployments (or test runs) can share a Redis.
    QUEUE_PREFIX: z.preprocess(
      (v) => (typeof v === "string" && v.trim() !== "" ? v.trim() : "adinsights"),
      z.string().regex(/^[A-Za-z0-9_.-]+$/, "may only contain letters, digits, '.', '_' and '-'"),
    ),
    // When the worker looks for credentials to refresh (cron, 5 or 6 fields; Google ~5 min ahead, Meta 7 days ahead).
    TOKEN_UPKEEP_SCHEDULE: withDefault("* * * * *"),
    // When the worker looks for worker-scheduled connections that are due (cron, 5 or 6 fields).
    SYNC_SWEEP_SCHEDULE: withDefault("* * * * *"),

    // Connection health (spec health.md). Token renewal: transient failures back off from the
    // base (doubling) for this many attempts, then wait the cooldown before trying again.
    TOKEN_REFRESH_RETRY_BASE_MS: int(60_000, 0),
    TOKEN_REFRESH_MAX_ATTEMPTS: int(5, 1),
    TOKEN_REFRESH_COOLDOWN_MS: int(3_600_000, 0),
    // Consecutive failed syncs that must also span at least these days: a warning event, then a pause.
    CONNECTION_WARN_FAILURES: int(20, 1),
    CONNECTION_WARN_DAYS: num(4),
    CONNECTION_PAUSE_FAILURES: int(30, 1),
    CONNECTION_PAUSE_DAYS: num(7),

    // Webhooks. Private, loopback and link-local destinations (and http://) only when this is
    // truthy: development and tests with local receivers. Never in production.
    WEBHOOKS_ALLOW_PRIVATE: flag(false),
    // One delivery attempt: connect + answer within this time, else it failed.
    WEBHOOK_TIMEOUT_MS: int(10_000, 100),
    // First retry after this delay, then doubling, until the retry window is over.
    WEBHOOK_RETRY_BASE_MS: int(60_000, 0),
    WEBHOOK_RETRY_WINDOW_MS: int(24 * 3_600_000, 0),
    // An endpoint whose every delivery failed for this long is disabled (and its admins told).
    WEBHOOK_DISABLE_AFTER_DAYS: num(3),
    // How often the worker re-queues deliveries whose queue job was lost (cron, 5 or 6 fields).
    WEBHOOK_SWEEP_SCHEDULE: withDefault("* * * * *"),
    // How often the worker checks that every job scheduler is still in Redis (and re-registers the
    // missing ones: Redis restarted without persistence, failed over, evicted or flushed keys).
    SCHEDULER_CHECK_INTERVAL_MS: int(30_000, 100),
  })
  .superRefine((env, ctx) => {
    const secret = env.SECRET_KEY ?? env.DJANGO_SECRET_KEY;
    if (env.NODE_ENV === "production") {
      if (!secret) ctx.addIssue({ code: "custom", path: ["SECRET_KEY"], message: "is required in production" });
      else if (secret.length < 32)
        ctx.addIssue({ code: "custom", path: ["SECRET_KEY"], message: "must be at least 32 characters in production" });
      if (env.CORS_ALLOW_ALL_ORIGINS && env.CORS_ALLOW_CREDENTIALS)
        ctx.addIssue({
          code: "custom",
          path: ["CORS_ALLOW_ALL_ORIGINS"],
          message: "cannot be combined with CORS_ALLOW_CREDENTIALS in production",
        });
    }
    if (env.DJANGO_DEFAULT_TENANT_ID && !z.uuid().safeParse(env.DJANGO_DEFAULT_TENANT_ID).success) {
      // The spec says a non-UUID value is ignored (a new id is generated), so this is not fatal.
      env.DJANGO_DEFAULT_TENANT_ID = undefined;
    }
    if (env.KMS_PROVIDER === "aws") {
      // The web app and the worker refuse to start with a KMS they cannot use.
      const problem = awsKmsProblem(env.KMS_KEY_ID, env.AWS_REGION);
      if (problem) ctx.addIssue({ code: "custom", path: [problem.variable], message: problem.message });
    }
    if (!isValidTimeZone(env.TIME_ZONE))
      ctx.addIssue({ code: "custom", path: ["TIME_ZONE"], message: "must be an IANA time zone" });
  })
  .transform((env) => ({
    ...env,
    /** The JWT signing key, with the development fallback resolved. */
    signingKey: env.SECRET_KEY ?? env.DJANGO_SECRET_KEY ?? DEV_SECRET_KEY,
    isProduction: env.NODE_ENV === "production",
    defaultAdmin: {
      tenantId: env.DJANGO_DEFAULT_TENANT_ID,
      tenantName: env.DJANGO_DEFAULT_TENANT_NAME ?? "Default Tenant",
      email: (env.DJANGO_DEFAULT_ADMIN_EMAIL ?? env.DEFAULT_ADMIN_EMAIL ?? "admin@example.com").toLowerCase(),
      username: env.DJANGO_DEFAULT_ADMIN_USERNAME ?? env.DEFAULT_ADMIN_USERNAME ?? "admin",
      password: env.DJANGO_DEFAULT_ADMIN_PASSWORD ?? env.DEFAULT_ADMIN_PASSWORD ?? DEFAULT_ADMIN_PASSWORD,
    },
  }));

export const DEFAULT_ADMIN_PASSWORD = "admin1";

export type Env = z.infer<typeof envSchema>;

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export class EnvError extends Error {
  constructor(public readonly variable: string, detail: string) {
    super(`Invalid environment: ${variable} ${detail}`);
    this.name = "EnvError";
  }
}

/** Parses an environment object; throws EnvError naming the first bad variable. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const variable = String(issue.path[0] ?? "environment");
  // Never echo the value: it may be a secret.
  throw new EnvError(variable, issue.message.startsWith("Invalid") ? "has an invalid value" : issue.message);
}

let cached: Env | undefined;

/**
 * The process environment, parsed on first use. Lazy so that `next build` can import route
 * modules without production secrets; `assertEnvOrExit` at process start makes it fail fast.
 */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** For process entry points: print one line naming the bad variable and exit non-zero. */
export function assertEnvOrExit(): Env {
  try {
    return env();
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** Tests only swap the environment through this, never by branching in server code. */
export function resetEnvCache(): void {
  cached = undefined;
}
