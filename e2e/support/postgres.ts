/**
 * Test databases on the local Postgres: a fresh database per run, migrated as the owner, and a
 * login role that is neither owner nor superuser for everything the app does.
 */
import postgres from "postgres";
import { migratePostgres } from "../../server/db/migrate";

export const PG_HOST = process.env.TEST_PG_HOST ?? "127.0.0.1";
export const PG_PORT = Number(process.env.TEST_PG_PORT ?? 5432);
export const PG_SUPERUSER = process.env.TEST_PG_SUPERUSER ?? "postgres";
/** The login role the app connects as in tests: member of adinsights_app, nothing more. */
export const APP_LOGIN_ROLE = "adinsights_web";

export const urlFor = (user: string, database: string) =>
  `postgres://${user}@${PG_HOST}:${PG_PORT}/${database}`;

export async function createTestDatabase(name: string): Promise<{ ownerUrl: string; appUrl: string }> {
  const admin = postgres(urlFor(PG_SUPERUSER, "postgres"), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}"`);
    await admin.unsafe(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return { ownerUrl: urlFor(PG_SUPERUSER, name), appUrl: urlFor(APP_LOGIN_ROLE, name) };
}

/** After migrations created adinsights_app: a login role that can only become it. */
export async function ensureAppLoginRole(ownerUrl: string): Promise<void> {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_LOGIN_ROLE}') THEN
        CREATE ROLE ${APP_LOGIN_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
      END IF;
    END $$`);
    await sql.unsafe(`GRANT adinsights_app TO ${APP_LOGIN_ROLE}`);
  } finally {
    await sql.end();
  }
}

export async function dropTestDatabase(name: string): Promise<void> {
  const admin = postgres(urlFor(PG_SUPERUSER, "postgres"), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** A fresh database migrated by the real migrate code, with the app's non-owner login role. */
export async function migratedTestDatabase(name: string): Promise<{ ownerUrl: string; appUrl: string }> {
  const urls = await createTestDatabase(name);
  await migratePostgres(urls.ownerUrl);
  await ensureAppLoginRole(urls.ownerUrl);
  return urls;
}
