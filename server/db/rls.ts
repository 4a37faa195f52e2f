/**
 * Row-level security, generated from the drizzle schema so a new tenant table cannot be forgotten.
 *
 * `npm run migrate` applies this after the drizzle-kit migrations (it is idempotent), and the
 * `enable-rls` CLI prints the same SQL for a DBA. Every table with a `tenant_id` column (plus
 * `tenants` itself, keyed on `id`) gets ENABLE + FORCE RLS and the tenant policy from DESIGN.md.
 *
 * Cross-tenant reads are not done with a bypass: each one is a narrow extra policy that reveals
 * only the row matching a key the caller already holds (see server/db/system.ts).
 */
import { getTableColumns, getTableName, is } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import * as schema from "./schema";

/** The role every request and job runs as: not an owner, not a superuser, no BYPASSRLS. */
export const APP_ROLE = "adinsights_app";

const CURRENT_TENANT = "nullif(current_setting('app.tenant_id', true), '')::uuid";

/** Extra, narrowly-keyed read policies (name, table, USING clause). */
const LOOKUP_POLICIES: { table: string; name: string; using: string }[] = [
  // Login, token refresh and sign-up need a user by e-mail before the tenant is known.
  { table: "users", name: "users_lookup_by_email", using: "email = nullif(current_setting('app.lookup_email', true), '')" },
  // Platform staff list every tenant; worker sweeps enumerate tenant ids.
  { table: "tenants", name: "tenants_platform_read", using: "current_setting('app.platform_scope', true) = 'on'" },
  // Accepting an invite / confirming a reset: the caller holds a token, not a tenant. Only the row
  // whose token hash equals the key is visible.
  { table: "invitations", name: "invitations_lookup_by_token", using: "token_hash = nullif(current_setting('app.lookup_token_hash', true), '')" },
  { table: "password_resets", name: "password_resets_lookup_by_token", using: "token_hash = nullif(current_setting('app.lookup_token_hash', true), '')" },
  // The e-mail sender (worker) finds which tenants have mail due before visiting each one.
  { table: "email_outbox", name: "email_outbox_platform_read", using: "current_setting('app.platform_scope', true) = 'on'" },
  // The sync sweep (worker) finds which tenants have worker-scheduled connections due; the sync
  // tracker reads the workspace and account of the syncs it follows.
  { table: "airbyte_connections", name: "airbyte_connections_platform_read", using: "current_setting('app.platform_scope', true) = 'on'" },
  // The webhook sweep (worker) finds which tenants have deliveries whose queue job was lost.
  { table: "webhook_deliveries", name: "webhook_deliveries_platform_read", using: "current_setting('app.platform_scope', true) = 'on'" },
  // The sync tracker (worker) finds the active syncs due for a look across tenants, then writes in each tenant.
  { table: "sync_jobs", name: "sync_jobs_platform_read", using: "current_setting('app.platform_scope', true) = 'on'" },
  // An OAuth callback names its state, not a tenant: reveal only the row with that hash, so a state
  // from another tenant is answered 403 (spec) instead of looking unknown.
  { table: "oauth_states", name: "oauth_states_lookup_by_hash", using: "state_hash = nullif(current_setting('app.lookup_state_hash', true), '')" },
];

/** Tables that hold no tenant data: the app may read them, never write. */
const READ_ONLY_REFERENCE_TABLES = ["roles"];

/**
 * Tenant tables the app may only append to and read: an audit trail the app could rewrite would
 * prove nothing. Retention, if any, runs as the owner.
 */
const APPEND_ONLY_TABLES = new Set(["audit_logs"]);

export interface TenantTable {
  table: string;
  column: string;
}

/** Every tenant-owned table in the schema, with the column the policy compares. */
export function tenantTables(): TenantTable[] {
  const out: TenantTable[] = [];
  for (const value of Object.values(schema)) {
    if (!is(value, PgTable)) continue;
    const name = getTableName(value);
    const columns = Object.values(getTableColumns(value)).map((c) => c.name);
    if (name === "tenants") out.push({ table: name, column: "id" });
    else if (columns.includes("tenant_id")) out.push({ table: name, column: "tenant_id" });
  }
  return out.sort((a, b) => a.table.localeCompare(b.table));
}

export function allTables(): string[] {
  return Object.values(schema)
    .filter((v) => is(v, PgTable))
    .map((t) => getTableName(t as PgTable))
    .sort();
}

/** The SQL that creates the app role, grants it, and installs every policy. Idempotent. */
export function rlsStatements(): string[] {
  const statements: string[] = [
    `DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
    CREATE ROLE ${APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END $$`,
    // Lets the migrating (owner) connection, and any login role granted this role, SET ROLE to it.
    `DO $$ BEGIN
  IF NOT pg_has_role(current_user, '${APP_ROLE}', 'MEMBER') THEN
    EXECUTE format('GRANT ${APP_ROLE} TO %I', current_user);
  END IF;
END $$`,
    `GRANT USAGE ON SCHEMA public TO ${APP_ROLE}`,
  ];
  for (const table of READ_ONLY_REFERENCE_TABLES) {
    statements.push(`REVOKE ALL ON TABLE "${table}" FROM ${APP_ROLE}`, `GRANT SELECT ON TABLE "${table}" TO ${APP_ROLE}`);
  }
  for (const { table, column } of tenantTables()) {
    // REVOKE first: the script is re-applied to live databases where earlier versions granted more.
    const privileges = APPEND_ONLY_TABLES.has(table) ? "SELECT, INSERT" : "SELECT, INSERT, UPDATE, DELETE";
    statements.push(
      `REVOKE ALL ON TABLE "${table}" FROM ${APP_ROLE}`,
      `GRANT ${privileges} ON TABLE "${table}" TO ${APP_ROLE}`,
      `ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`,
      `ALTER TABLE "${table}" FORCE ROW LEVEL SECURITY`,
      `DROP POLICY IF EXISTS tenant_isolation ON "${table}"`,
      `CREATE POLICY tenant_isolation ON "${table}" USING ("${column}" = ${CURRENT_TENANT}) WITH CHECK ("${column}" = ${CURRENT_TENANT})`,
    );
  }
  for (const p of LOOKUP_POLICIES) {
    statements.push(
      `DROP POLICY IF EXISTS ${p.name} ON "${p.table}"`,
      `CREATE POLICY ${p.name} ON "${p.table}" FOR SELECT USING (${p.using})`,
    );
  }
  statements.push(
    `INSERT INTO roles (name, description) VALUES
  ('ADMIN', 'Manages the tenant: members, roles, integrations'),
  ('ANALYST', 'Reads data and triggers syncs'),
  ('VIEWER', 'Reads data')
ON CONFLICT (name) DO NOTHING`,
  );
  return statements;
}

export function rlsScript(): string {
  return rlsStatements().map((s) => `${s};`).join("\n\n") + "\n";
}
