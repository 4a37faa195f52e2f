/** Process start-up shared by the web app and the worker. */
import { database } from "./db/client";
import { migratePostgres } from "./db/migrate";
import { assertEnvOrExit } from "./env";
import { log } from "./infra/log";
import { ensureDefaultAdmin } from "./services/accounts/default-admin";

export async function startWebApp(): Promise<{ database: "postgres" | "pglite" }> {
  const e = assertEnvOrExit();
  if (e.DATABASE_URL && !e.isProduction) await migratePostgres(e.MIGRATION_DATABASE_URL ?? e.DATABASE_URL);
  const { kind } = await database();
  const admin = await ensureDefaultAdmin();
  log.info("web app ready", { database: kind, default_admin: admin, node_env: e.NODE_ENV });
  return { database: kind };
}
