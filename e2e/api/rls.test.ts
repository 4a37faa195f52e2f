/**
 * Tenant isolation enforced by Postgres itself: queries run as the app's login role (not owner,
 * not superuser) with no tenant filter at all, and still see only the current tenant.
 */
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { tenantTables } from "../../server/db/rls";
import { api, createMember, createTenant, type TestTenant } from "../support/api";
import { ingestCsv, METRICS_HEADER } from "../support/metrics";
import { releaseAppEnv, useAppEnv } from "../support/app-env";
import { seedCredential } from "../support/credentials";
import { connect, fakeUser, provision, start, until } from "../support/connectors";
import { waitForMail } from "../support/team";

let sql: postgres.Sql;
let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  sql = postgres(inject("appDatabaseUrl"), { max: 2, onnotice: () => {} });
  a = await createTenant();
  b = await createTenant();
  await createMember(a);
  await createMember(b);
  // Team tables: an invitation (+ its e-mail outbox row) and a password reset in each tenant.
  for (const t of [a, b]) {
    const invite = await api("/api/users/invite/", { token: t.access, body: { email: `rls-${t.id.slice(0, 8)}@example.test` } });
    if (invite.status !== 201) throw new Error(`invite failed: ${invite.status} ${invite.text}`);
    const reset = await api("/api/auth/password-reset/", { body: { email: t.adminEmail } });
    if (reset.status !== 202) throw new Error(`password reset failed: ${reset.status} ${reset.text}`);
    // The reset row is written after the answer; its e-mail says it exists.
    await waitForMail(t.adminEmail);
  }
  // Campaigns, ad sets, ads and daily metrics for both tenants, with the same external ids.
  useAppEnv();
  const sample = [METRICS_HEADER, "2025-09-01,meta_ads,,cmp-1,Campaign,set-1,Ad set,ad-1,Ad,100,5,12.34,JMD,1"];
  await ingestCsv(a.id, sample);
  await ingestCsv(b.id, sample);
  // Vault rows (platform_credentials, tenant_data_keys) for both tenants.
  await seedCredential(a.id);
  await seedCredential(b.id);
  // Connector rows (oauth_states, airbyte_connections, sync_jobs) for both tenants, through the API.
  // Health rows (webhook_endpoints, connection_events, webhook_deliveries): an endpoint for every
  // event, then the sync's end writes an event and a delivery.
  for (const t of [a, b]) {
    const hook = await api("/api/webhooks/", { token: t.access, body: { url: "http://127.0.0.1:9/rls" } });
    if (hook.status !== 201) throw new Error(`webhook failed: ${hook.status} ${hook.text}`);
    await start(t, "ga4");
    await connect(t, "google_ads", fakeUser("rls"));
    await provision(t, "google_ads");
    await api("/api/integrations/google_ads/sync/", { token: t.access, body: {} });
  }
  for (const t of [a, b]) await until(() => api("/api/events/", { token: t.access }), (r) => r.body?.count > 0);
});
afterAll(async () => {
  await sql.end();
  await releaseAppEnv();
});

/** Runs `fn` in a transaction whose policies see `tenant` ("" = no tenant). */
function asTenant<T>(tenant: string, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  return sql.begin(async (tx) => {
    await tx`select set_config('app.tenant_id', ${tenant}, true)`;
    return fn(tx);
  }) as Promise<T>;
}

describe("forced row-level security", () => {
  it("the app login role is neither superuser, BYPASSRLS, nor table owner", async () => {
    const [me] = await sql`select rolsuper, rolbypassrls from pg_roles where rolname = current_user`;
    expect(me).toEqual({ rolsuper: false, rolbypassrls: false });
    const owned = await sql`select tablename from pg_tables where schemaname = 'public' and tableowner = current_user`;
    expect(owned).toHaveLength(0);
  });

  it("every table with tenant data is in the generated policy list, with FORCE and the policy", async () => {
    const withTenantColumn = await sql<{ table_name: string }[]>`
      select table_name from information_schema.columns
      where table_schema = 'public' and column_name = 'tenant_id' order by table_name`;
    const listed = tenantTables().map((t) => t.table);
    for (const { table_name } of withTenantColumn) expect(listed).toContain(table_name);
    expect(listed).toContain("tenants");
    const flags = await sql<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }[]>`
      select relname, relrowsecurity, relforcerowsecurity from pg_class
      where relname = any(${listed}) and relkind = 'r'`;
    expect(flags).toHaveLength(listed.length);
    for (const f of flags) expect(f).toMatchObject({ relrowsecurity: true, relforcerowsecurity: true });
    const policies = await sql`select tablename from pg_policies where policyname = 'tenant_isolation'`;
    expect(policies.map((p) => p.tablename).sort()).toEqual([...listed].sort());
  });

  for (const { table, column } of tenantTables()) {
    it(`${table}: an unfiltered select sees only the current tenant`, async () => {
      const rows = await asTenant(a.id, (tx) => tx.unsafe(`select "${column}"::text as t from "${table}"`));
      expect(rows.length).toBeGreaterThan(0);
      expect(new Set(rows.map((r) => r.t))).toEqual(new Set([a.id]));
      const none = await asTenant("", (tx) => tx.unsafe(`select 1 from "${table}"`));
      expect(none).toHaveLength(0);
    });
  }

  it("cannot write into or change another tenant's rows", async () => {
    await expect(
      asTenant(a.id, (tx) => tx`insert into audit_logs (tenant_id, action) values (${b.id}, 'login')`),
    ).rejects.toThrow(/row-level security/);
    const updated = await asTenant(a.id, (tx) => tx`update users set first_name = 'x' where tenant_id = ${b.id}`);
    expect(updated.count).toBe(0);
    const deleted = await asTenant(a.id, (tx) => tx`delete from user_roles where tenant_id = ${b.id}`);
    expect(deleted.count).toBe(0);
    const moved = asTenant(a.id, (tx) => tx`update users set tenant_id = ${b.id} where tenant_id = ${a.id}`);
    await expect(moved).rejects.toThrow(/row-level security/);
  });

  it("audit rows are append-only for the app: it may insert and read its tenant's rows, never change or delete them", async () => {
    const [row] = await asTenant(a.id, (tx) => tx`select id from audit_logs limit 1`);
    expect(row).toBeDefined();
    await expect(asTenant(a.id, (tx) => tx`update audit_logs set action = 'forged' where id = ${row!.id}`)).rejects.toThrow(/permission denied/);
    await expect(asTenant(a.id, (tx) => tx`delete from audit_logs where id = ${row!.id}`)).rejects.toThrow(/permission denied/);
    await expect(asTenant(a.id, (tx) => tx`truncate audit_logs`)).rejects.toThrow(/permission denied/);
    await asTenant(a.id, (tx) => tx`insert into audit_logs (tenant_id, action) values (${a.id}, 'login')`);
    const [grants] = await sql`select has_table_privilege('adinsights_app', 'audit_logs', 'UPDATE') as upd, has_table_privilege('adinsights_app', 'audit_logs', 'DELETE') as del, has_table_privilege('adinsights_app', 'audit_logs', 'INSERT') as ins`;
    expect(grants).toEqual({ upd: false, del: false, ins: true });
  });

  it("the e-mail lookup policy reveals exactly the one matching user", async () => {
    const rows = await sql.begin(async (tx) => {
      await tx`select set_config('app.lookup_email', ${b.adminEmail}, true)`;
      return tx`select id, email from users`;
    });
    expect(rows).toEqual([{ id: b.adminId, email: b.adminEmail }]);
  });

  it("the token-hash lookup policy reveals only the invitation or reset with that hash", async () => {
    const seen = await sql.begin(async (tx) => {
      await tx`select set_config('app.lookup_token_hash', 'no-such-hash', true)`;
      return [await tx`select 1 from invitations`, await tx`select 1 from password_resets`];
    });
    expect(seen).toEqual([[], []]);
    const [invite] = await asTenant(a.id, (tx) => tx`select token_hash from invitations limit 1`);
    const rows = await sql.begin(async (tx) => {
      await tx`select set_config('app.lookup_token_hash', ${invite!.token_hash}, true)`;
      return tx`select tenant_id::text as t from invitations`;
    });
    expect(rows).toEqual([{ t: a.id }]);
  });

  it("the platform read of airbyte_connections and sync_jobs (sync sweep, sync tracker) reads every tenant and writes none", async () => {
    const [connectionTenants, jobTenants, updatedConnections, updatedJobs, credentials] = await sql.begin(async (tx) => {
      await tx`select set_config('app.platform_scope', 'on', true)`;
      return [
        await tx`select distinct tenant_id::text as t from airbyte_connections`,
        await tx`select distinct tenant_id::text as t from sync_jobs`,
        await tx`update airbyte_connections set name = name`,
        await tx`update sync_jobs set checks = checks`,
        await tx`select 1 from platform_credentials`,
      ];
    });
    expect(connectionTenants.map((r) => r.t)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(jobTenants.map((r) => r.t)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(updatedConnections.count).toBe(0);
    expect(updatedJobs.count).toBe(0);
    expect(credentials).toHaveLength(0);
  });

  it("login wrote its audit row with the client address", async () => {
    const rows = await asTenant(
      a.id,
      (tx) => tx`select action, user_id, metadata from audit_logs where action = 'login' and user_id = ${a.adminId}`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows[0]).toMatchObject({ action: "login", user_id: a.adminId });
    expect(rows[0]!.metadata).toHaveProperty("ip");
    const signUp = await asTenant(a.id, (tx) => tx`select 1 from audit_logs where action = 'tenant_created'`);
    expect(signUp).toHaveLength(1);
  });

  it("through the API, lists never cross tenants", async () => {
    const users = await api("/api/users/?page_size=500", { token: a.access });
    expect(users.body.results.every((u: { tenant: string }) => u.tenant === a.id)).toBe(true);
    const tenants = await api("/api/tenants/", { token: b.access });
    expect(tenants.body.results.map((t: { id: string }) => t.id)).toEqual([b.id]);
  });
});
