/**
 * The operator CLIs from spec/integrations.md (enable-rls, seed-dev-data, ingest-sample-metrics),
 * run as child processes against the test database exactly as an operator would run them.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { api, createTenant, uniqueEmail, type TestTenant } from "../support/api";
import { METRICS_HEADER } from "../support/metrics";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(name: string, args: string[], env: Record<string, string> = {}, base: NodeJS.ProcessEnv = { ...process.env, ...inject("testEnv") }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", path.join("server", "cli", `${name}.ts`), ...args],
      { env: { ...base, LOG_LEVEL: "warn", ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

let owner: postgres.Sql;
let app: postgres.Sql;
let a: TestTenant;
const dir = mkdtempSync(path.join(tmpdir(), "adinsights-cli-"));

beforeAll(async () => {
  owner = postgres(inject("ownerDatabaseUrl"), { max: 1, onnotice: () => {} });
  app = postgres(inject("appDatabaseUrl"), { max: 1, onnotice: () => {} });
  a = await createTenant();
});
afterAll(async () => Promise.all([owner.end(), app.end()]));

describe("enable-rls", () => {
  it("prints ENABLE, FORCE, the tenant policy and the app-role grant for every table with a tenant_id column", async () => {
    const run = await cli("enable-rls", []);
    expect(run.code).toBe(0);
    const tables = await owner<{ table_name: string }[]>`
      select table_name from information_schema.columns
      where table_schema = 'public' and column_name = 'tenant_id' order by table_name`;
    expect(tables.map((t) => t.table_name)).toEqual(expect.arrayContaining(["campaigns", "ad_sets", "ads", "daily_metrics"]));
    for (const { table_name } of [...tables, { table_name: "tenants" }]) {
      expect(run.stdout).toContain(`ALTER TABLE "${table_name}" ENABLE ROW LEVEL SECURITY;`);
      expect(run.stdout).toContain(`ALTER TABLE "${table_name}" FORCE ROW LEVEL SECURITY;`);
      expect(run.stdout).toContain(`CREATE POLICY tenant_isolation ON "${table_name}"`);
      // The audit trail is append-only for the app.
      const privileges = table_name === "audit_logs" ? "SELECT, INSERT" : "SELECT, INSERT, UPDATE, DELETE";
      expect(run.stdout).toContain(`GRANT ${privileges} ON TABLE "${table_name}" TO adinsights_app;`);
    }
  });

  it("--apply runs it (idempotently) as the table owner; --help explains", async () => {
    await owner`alter table daily_metrics no force row level security`;
    const run = await cli("enable-rls", ["--apply"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/row-level security applied: \d+ statements \(postgres\)/);
    const [flags] = await owner`select relrowsecurity, relforcerowsecurity from pg_class where relname = 'daily_metrics'`;
    expect(flags).toEqual({ relrowsecurity: true, relforcerowsecurity: true });
    const help = await cli("enable-rls", ["--help"]);
    expect(help).toMatchObject({ code: 0 });
    expect(help.stdout).toContain("usage: npm run enable-rls");
  });
});

describe("enable-rls --apply on a busy database", () => {
  it("never waits holding locks (no deadlock with the app): it retries until the tables are free", async () => {
    // An app transaction that has read a table and stays open.
    const busy = await app.reserve();
    try {
      await busy`begin`;
      await busy`select 1 from audit_logs limit 1`;
      let done = false;
      const applying = cli("enable-rls", ["--apply"]).then((run) => ((done = true), run));
      await new Promise((r) => setTimeout(r, 1500));
      expect(done).toBe(false);
      // The app's transaction is neither aborted nor left waiting: it goes on touching other tables.
      await busy`select 1 from users limit 1`;
      await busy`select 1 from sync_jobs limit 1`;
      await busy`commit`;
      const run = await applying;
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/row-level security applied/);
    } finally {
      busy.release();
    }
  });
});

describe("dev commands guard", () => {
  it("both refuse with a warning and exit 0 outside development unless ALLOW_DEFAULT_ADMIN is truthy", async () => {
    const email = uniqueEmail("guarded");
    const refused = { NODE_ENV: "production", ALLOW_DEFAULT_ADMIN: "false", DJANGO_DEFAULT_ADMIN_EMAIL: email, DJANGO_DEFAULT_ADMIN_PASSWORD: "guarded-pass-1" };
    const [seed, ingest] = await Promise.all([
      cli("seed-dev-data", [], refused),
      cli("ingest-sample-metrics", ["--tenant-id", a.id], refused),
    ]);
    for (const run of [seed, ingest]) {
      expect(run.code).toBe(0);
      expect(run.stderr).toContain("Refusing to run");
      expect(run.stdout).toBe("");
    }
    expect((await api("/api/token/", { body: { email, password: "guarded-pass-1" } })).status).toBe(401);
  });

  it("NODE_ENV=development is enough", async () => {
    const run = await cli("ingest-sample-metrics", ["--tenant-id", a.id], { NODE_ENV: "development", ALLOW_DEFAULT_ADMIN: "" });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Ingested sample metrics for tenant ${a.name}: 8 created, 0 updated, 0 skipped`);
  });
});

describe("seed-dev-data", () => {
  const email = uniqueEmail("seed");
  const tenantName = `Seeded ${email}`;
  const env = { DJANGO_DEFAULT_ADMIN_EMAIL: email, DJANGO_DEFAULT_TENANT_NAME: tenantName, DJANGO_DEFAULT_ADMIN_PASSWORD: "seed-pass-first" };

  it("creates the tenant, admin and sample data; a second run changes nothing and keeps the password", async () => {
    const first = await cli("seed-dev-data", [], env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`Created tenant [0-9a-f-]{36} and admin ${email} \\(role ADMIN\\)\\.`));
    expect(first.stdout).toContain("Roles available: ADMIN, ANALYST, VIEWER.");
    expect(first.stdout).toContain(`Ingested sample metrics for tenant ${tenantName}: 70 created, 0 updated, 0 skipped`);

    const second = await cli("seed-dev-data", [], { ...env, DJANGO_DEFAULT_ADMIN_PASSWORD: "seed-pass-second" });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`Admin ${email} already exists`);
    expect(second.stdout).toContain("password left unchanged");
    expect(second.stdout).toContain(`Ingested sample metrics for tenant ${tenantName}: 0 created, 70 updated, 0 skipped`);

    const login = await api("/api/auth/login/", { body: { email, password: "seed-pass-first" } });
    expect(login.status).toBe(200);
    expect(login.body.user.roles).toEqual(["ADMIN"]);
    expect((await api("/api/token/", { body: { email, password: "seed-pass-second" } })).status).toBe(401);

    const counts = await app.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', ${login.body.tenant_id}, true)`;
      return tx`select (select count(*)::int from campaigns) as campaigns, (select count(*)::int from ad_sets) as ad_sets,
                       (select count(*)::int from ads) as ads, (select count(*)::int from daily_metrics) as metrics,
                       (select count(*)::int from users) as users`;
    });
    expect(counts).toEqual([{ campaigns: 4, ad_sets: 4, ads: 5, metrics: 70, users: 1 }]);
  });

  it("ingest-sample-metrics defaults to the default admin's tenant and reports bad lines on stderr", async () => {
    const file = path.join(dir, "bad.csv");
    writeFileSync(file, [METRICS_HEADER, "2025-09-01,meta_ads,,c-1,,,,,,1,1,1,JMD,0", "2025-13-01,meta_ads,,c-1,,,,,,1,1,1,JMD,0", ""].join("\n"));
    const run = await cli("ingest-sample-metrics", ["--file", file], env);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('line 3: date "2025-13-01" is not a valid date (YYYY-MM-DD)');
    expect(run.stdout.trim()).toBe(`Ingested sample metrics for tenant ${tenantName}: 1 created, 0 updated, 1 skipped`);
  });

  it("refuses the default password in production", async () => {
    const run = await cli("seed-dev-data", [], { DJANGO_DEFAULT_ADMIN_EMAIL: uniqueEmail("weak"), DJANGO_DEFAULT_ADMIN_PASSWORD: "", DEFAULT_ADMIN_PASSWORD: "" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("Refusing to create the default admin with the default password in production");
  });

  it("ingest-sample-metrics rejects a bad --tenant-id and a missing file; --help explains", async () => {
    expect(await cli("ingest-sample-metrics", ["--tenant-id", "nope"])).toMatchObject({ code: 1, stderr: "--tenant-id must be a UUID.\n" });
    expect(await cli("ingest-sample-metrics", ["--file", path.join(dir, "missing.csv")])).toMatchObject({ code: 1 });
    const help = await cli("ingest-sample-metrics", ["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("aliases: date_day, platform, campaign_id, adset_id, ad_id");
  });
});

describe("on the embedded PGlite (no DATABASE_URL)", () => {
  it("seeds and ingests with the same results through the batched-INSERT path", { timeout: 120_000 }, async () => {
    const { DATABASE_URL: _a, MIGRATION_DATABASE_URL: _b, ...inherited } = process.env;
    const env = { NODE_ENV: "development", PGLITE_DATA_DIR: mkdtempSync(path.join(tmpdir(), "adinsights-pglite-ingest-")) };
    const seed = await cli("seed-dev-data", [], env, inherited);
    expect(seed.stdout).toContain("Ingested sample metrics for tenant Default Tenant: 70 created, 0 updated, 0 skipped");
    const first = await cli("ingest-sample-metrics", [], env, inherited);
    expect(first.stdout).toContain("Ingested sample metrics for tenant Default Tenant: 8 created, 0 updated, 0 skipped");
    const file = path.join(dir, "repeat.csv");
    writeFileSync(file, [METRICS_HEADER, "2025-09-01,meta_ads,,c-9,,,,,,1,1,1,JMD,0", "2025-09-01,meta_ads,,c-9,,,,,,2,2,2,JMD,0", "2025-09-01,meta_ads,,c-9,,,,,,x,2,2,JMD,0"].join("\n"));
    const repeat = await cli("ingest-sample-metrics", ["--file", file, "--reset"], env, inherited);
    expect(repeat.stdout).toContain("Deleted 78 existing metric rows for tenant Default Tenant.");
    expect(repeat.stdout).toContain("Ingested sample metrics for tenant Default Tenant: 1 created, 1 updated, 1 skipped");
    expect(repeat.stderr).toContain('line 4: impressions "x" is not a whole non-negative number');
  });
});
