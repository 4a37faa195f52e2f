/** Process start-up shared by the web app and the worker. */
import { database } from "./db/client";
import { migratePostgres } from "./db/migrate";
import { assertEnvOrExit, type Env } from "./env";
import { log } from "./infra/log";
import { redisReady } from "./infra/redis";
import { ensureDefaultAdmin } from "./services/accounts/default-admin";

/** How long the web app waits for its Redis connection before serving (see startWebApp). */
const REDIS_START_WAIT_MS = 3000;

/**
 * The web app and the worker need a usable KMS: in production the local provider (a development
 * key wrapper) is refused, and would otherwise fail only on the first secret written. The other
 * CLIs do not touch the vault and keep their own checks.
 */
export function assertVaultReadyOrExit(e: Env): void {
  if (e.isProduction && e.KMS_PROVIDER === "local") {
    process.stderr.write("Invalid environment: KMS_PROVIDER=local is refused when NODE_ENV=production (set KMS_PROVIDER=aws, KMS_KEY_ID and AWS_REGION)\n");
    process.exit(1);
  }
}

const holder = globalThis as unknown as { __adinsightsWebApp?: Promise<{ database: "postgres" | "pglite" }> };

/**
 * Validates the environment, opens (and in development migrates) the database and ensures the
 * default admin — once per process: the production server runs it before it listens (the fast
 * lane answers before Next has prepared anything), and Next's instrumentation hook runs it again
 * when Next prepares, getting the same promise.
 */
export function startWebApp(): Promise<{ database: "postgres" | "pglite" }> {
  holder.__adinsightsWebApp ??= (async () => {
    const e = assertEnvOrExit();
    assertVaultReadyOrExit(e);
    if (e.DATABASE_URL && !e.isProduction) await migratePostgres(e.MIGRATION_DATABASE_URL ?? e.DATABASE_URL);
    const { kind } = await database();
    // Connected before the first request, so rate limits count in Redis from the first one; a
    // Redis that is down does not stop the start (the limiter counts in memory meanwhile).
    if (!e.UPSTASH_REDIS_REST_URL) {
      const redisUp = await redisReady(REDIS_START_WAIT_MS).then(
        () => true,
        () => false,
      );
      if (!redisUp) log.warn("redis not reachable at start; rate limits count in process memory until it answers");
    }
    const admin = await ensureDefaultAdmin();
    log.info("web app ready", { database: kind, default_admin: admin, node_env: e.NODE_ENV });
    return { database: kind };
  })();
  return holder.__adinsightsWebApp;
}
