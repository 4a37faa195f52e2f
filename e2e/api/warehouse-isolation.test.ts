/**
 * api.md §0.15 / §0.16: every tenant syncs into its own warehouse namespace, every account into
 * tables with its own prefix — on create and on update — and connections provisioned before that
 * are moved by `isolate-warehouse`. Only platform superusers may choose the workspace/destination.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { api, createTenant, type TestTenant } from "../support/api";
import { airbyteState, callback, connect, fakeUrl, fakeUser, provision } from "../support/connectors";
import { ownerSql } from "../support/tenant-rows";

const sql = ownerSql();
afterAll(() => sql.end());

const namespaceOf = (tenantId: string) => `adinsights_${tenantId.replace(/-/g, "_")}`;

async function remoteConnection(connectionId: string) {
  return (await airbyteState()).connections.find((c) => c.connectionId === connectionId);
}

/** Connects `provider` for `user` choosing the option at `index` of the account picker. */
async function connectAccount(t: TestTenant, provider: "ga4" | "search_console", user: string, index: number) {
  const first = await callback(t, provider, user);
  expect(first.status, first.text).toBe(200);
  const option = first.body.options[index];
  const picked = await api(`/api/integrations/${provider}/oauth/callback/`, { token: t.access, body: { selection_id: first.body.selection_id, account_id: option.id } });
  expect(picked.status, picked.text).toBe(200);
  return option.id as string;
}

describe("warehouse placement (§0.15)", () => {
  it("two tenants connecting the same account write to different namespaces", async () => {
    const [a, b] = await Promise.all([createTenant(), createTenant()]);
    const shared = fakeUser("shared-acct");
    const [ca, cb] = await Promise.all([connect(a, "google_ads", shared), connect(b, "google_ads", shared)]);
    const accountId = ca.body.credential.account_id;
    expect(cb.body.credential.account_id).toBe(accountId);

    const [pa, pb] = await Promise.all([provision(a, "google_ads"), provision(b, "google_ads")]);
    expect([pa.status, pb.status]).toEqual([201, 201]);
    const [ra, rb] = await Promise.all([remoteConnection(pa.body.connection.connection_id), remoteConnection(pb.body.connection.connection_id)]);
    expect(ra).toMatchObject({ namespaceDefinition: "customformat", namespaceFormat: namespaceOf(a.id), prefix: `google_ads_${accountId}_` });
    expect(rb).toMatchObject({ namespaceDefinition: "customformat", namespaceFormat: namespaceOf(b.id), prefix: `google_ads_${accountId}_` });
    expect(ra.namespaceFormat).not.toBe(rb.namespaceFormat);
    // Both go to the same destination: only the namespace keeps them apart.
    expect(ra.destinationId).toBe(rb.destinationId);
    // The connection says where its data lands; ids only, never a name.
    expect(pa.body.connection).toMatchObject({ destination_namespace: namespaceOf(a.id), stream_prefix: `google_ads_${accountId}_` });
    expect(JSON.stringify([ra.namespaceFormat, ra.prefix])).not.toContain(a.name);
  });

  it("one tenant with two accounts of one provider gets two prefixes in one namespace", async () => {
    const t = await createTenant();
    const user = fakeUser("two-props");
    const first = await connectAccount(t, "ga4", user, 0);
    const second = await connectAccount(t, "ga4", user, 1);
    expect(first).not.toBe(second);
    const p1 = await provision(t, "ga4", { external_account_id: first });
    const p2 = await provision(t, "ga4", { external_account_id: second });
    expect([p1.status, p2.status]).toEqual([201, 201]);
    const r1 = await remoteConnection(p1.body.connection.connection_id);
    const r2 = await remoteConnection(p2.body.connection.connection_id);
    expect(r1.namespaceFormat).toBe(namespaceOf(t.id));
    expect(r2.namespaceFormat).toBe(namespaceOf(t.id));
    expect(r1.prefix).toBe(`ga4_${first}_`);
    expect(r2.prefix).toBe(`ga4_${second}_`);
  });

  it("URL-shaped account ids fold to distinct identifiers", async () => {
    const t = await createTenant();
    const user = fakeUser("two-sites");
    const first = await connectAccount(t, "search_console", user, 0);
    const second = await connectAccount(t, "search_console", user, 1);
    const p1 = await provision(t, "search_console", { external_account_id: first });
    const p2 = await provision(t, "search_console", { external_account_id: second });
    const prefixes = [p1.body.connection.stream_prefix, p2.body.connection.stream_prefix];
    for (const prefix of prefixes) expect(prefix).toMatch(/^search_console_[a-z0-9_]+_[0-9a-f]{8}_$/);
    expect(new Set(prefixes).size).toBe(2);
  });

  it("a reused connection is moved on its next provision (update carries the placement)", async () => {
    const t = await createTenant();
    await connect(t, "meta_ads", fakeUser("legacy-meta"));
    const made = await provision(t, "meta_ads");
    const connectionId = made.body.connection.connection_id;
    await makeLegacy(connectionId);
    expect(await remoteConnection(connectionId)).toMatchObject({ namespaceDefinition: "destination", prefix: "" });

    const again = await provision(t, "meta_ads");
    expect(again.status).toBe(200);
    expect(again.body.connection_reused).toBe(true);
    const account = made.body.credential.account_id as string;
    expect(await remoteConnection(connectionId)).toMatchObject({ namespaceDefinition: "customformat", namespaceFormat: namespaceOf(t.id), prefix: `meta_ads_${account}_` });
    expect(again.body.connection).toMatchObject({ destination_namespace: namespaceOf(t.id), stream_prefix: `meta_ads_${account}_` });
  });

  it("isolate-warehouse moves connections provisioned before namespaces, and is idempotent", async () => {
    const [a, b] = await Promise.all([createTenant(), createTenant()]);
    await Promise.all([connect(a, "ga4", fakeUser("cli-a")), connect(b, "google_ads", fakeUser("cli-b"))]);
    const [pa, pb] = await Promise.all([provision(a, "ga4"), provision(b, "google_ads")]);
    const ids = [pa.body.connection.connection_id, pb.body.connection.connection_id];
    for (const id of ids) await makeLegacy(id);

    // The release step's migrate says what is left to move.
    const migrate = await runCli("migrate", []);
    expect(migrate.code, migrate.output).toBe(0);
    expect(migrate.output).toMatch(/\d+ Airbyte connection\(s\) still write to the destination's shared schema: run `npm run isolate-warehouse`/);

    const dry = await runCli("isolate-warehouse", ["--dry-run"]);
    expect(dry.code, dry.output).toBe(0);
    for (const id of ids) expect(dry.output).toContain(`connection ${id} (tenant`);
    expect((await remoteConnection(ids[0]))!.namespaceDefinition).toBe("destination");

    const run = await runCli("isolate-warehouse", []);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toMatch(/isolate-warehouse: connections=\d+ already_isolated=\d+ moved=\d+ failed=0/);
    expect(await remoteConnection(ids[0])).toMatchObject({ namespaceDefinition: "customformat", namespaceFormat: namespaceOf(a.id), prefix: `ga4_${pa.body.credential.account_id}_` });
    expect(await remoteConnection(ids[1])).toMatchObject({ namespaceDefinition: "customformat", namespaceFormat: namespaceOf(b.id), prefix: `google_ads_${pb.body.credential.account_id}_` });
    const rows = await sql`select namespace_format, stream_prefix from airbyte_connections where connection_id in ${sql(ids)} order by tenant_id = ${a.id} desc`;
    expect(rows.map((r) => r.namespace_format)).toEqual([namespaceOf(a.id), namespaceOf(b.id)]);

    const rerun = await runCli("isolate-warehouse", []);
    expect(rerun.code).toBe(0);
    expect(rerun.output).not.toContain(ids[0]);
    expect(rerun.output).not.toContain(ids[1]);
  });
});

describe("workspace and destination are for platform staff (§0.16)", () => {
  let t: TestTenant;
  beforeAll(async () => {
    t = await createTenant();
    await connect(t, "ga4", fakeUser("ws-choice"));
  });

  it.each([{ workspace_id: "5d2c7b9e-4a61-4f0e-9b3a-8e1f6c2d7a41" }, { destination_id: "5d2c7b9e-4a61-4f0e-9b3a-8e1f6c2d7a42" }])("a tenant ADMIN sending %o gets 403", async (body) => {
    const res = await provision(t, "ga4", body);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ detail: "You do not have permission to perform this action." });
    const rows = await sql`select count(*)::int as n from airbyte_connections where tenant_id = ${t.id}`;
    expect(rows[0]!.n).toBe(0);
  });

  it("a platform superuser may choose them", async () => {
    const staff = await createTenant();
    await sql`update users set is_superuser = true where id = ${staff.adminId}`;
    await connect(staff, "ga4", fakeUser("ws-staff"));
    const workspace = "5d2c7b9e-4a61-4f0e-9b3a-8e1f6c2d7a43";
    const res = await provision(staff, "ga4", { workspace_id: workspace });
    expect(res.status, res.text).toBe(201);
    expect(res.body.connection.workspace_id).toBe(workspace);
    expect((await remoteConnection(res.body.connection.connection_id)).namespaceFormat).toBe(namespaceOf(staff.id));
  });
});

/** Puts a connection back where the old backend put it: the destination's schema, no prefix, no record of placement. */
async function makeLegacy(connectionId: string) {
  const env = inject("testEnv");
  const res = await fetch(`${fakeUrl("airbyte")}/api/v1/connections/update`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${env.AIRBYTE_API_TOKEN}` },
    body: JSON.stringify({ connectionId, namespaceDefinition: "destination", namespaceFormat: "${SOURCE_NAMESPACE}", prefix: "" }),
  });
  expect(res.status).toBe(200);
  await sql`update airbyte_connections set namespace_format = null, stream_prefix = null where connection_id = ${connectionId}`;
}

/** A bundled CLI as an operator runs it: the app's login role, migrate as the owner (MIGRATION_DATABASE_URL). */
function runCli(name: "isolate-warehouse" | "migrate", args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join("dist", `${name}.mjs`), ...args], {
      env: { ...process.env, ...inject("testEnv"), DATABASE_URL: inject("appDatabaseUrl") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c) => (output += c));
    child.stderr.on("data", (c) => (output += c));
    child.on("exit", (code) => resolve({ code, output }));
  });
}
