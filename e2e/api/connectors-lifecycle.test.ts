/**
 * The full lifecycle for each of the five providers against the fakes, plus provision/sync/
 * disconnect error lines, concurrency (one Airbyte job, one source + connection) and secrets.
 */
import { readFileSync } from "node:fs";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { api, createMember, createTenant, type TestTenant } from "../support/api";
import { airbyteState, connect, failNext, fakeUrl, fakeUser, familyOf, PROVIDERS, provision, seen, status, until, waitForState, type Slug } from "../support/connectors";

let owner: postgres.Sql;
const bodies: string[] = [];
const timings: Record<string, number> = {};
const TOKENS = /ya29\.|1\/\/rt-|EAA[LSP]-/;

beforeAll(() => {
  owner = postgres(inject("ownerDatabaseUrl"), { max: 2, onnotice: () => {} });
});
afterAll(async () => {
  await owner.end();
  if (Object.keys(timings).length) console.log("connect→sync→disconnect (ms):", JSON.stringify(timings));
});

/** Only platform staff may name a workspace (api.md §0.16); these tests need one of their own. */
const staff = (t: TestTenant) => owner`update users set is_superuser = true where id = ${t.adminId}`;

async function keep<T extends { text: string }>(res: T | Promise<T>): Promise<T> {
  const r = await res;
  bodies.push(r.text);
  return r;
}

describe.each(PROVIDERS)("%s lifecycle", (provider: Slug) => {
  it("connect → needs_provisioning → provision → sync → connected → jobs → disconnect → not_connected", async () => {
    const t = await createTenant();
    const user = fakeUser(`life-${provider}`);
    const began = performance.now();
    expect((await keep(status(t, provider))).body.state).toBe("not_connected");

    const connected = await keep(connect(t, provider, user));
    expect(connected.body.status).toBe("connected");
    const accountId = connected.body.credential.account_id;
    const afterConnect = (await keep(status(t, provider))).body;
    expect(afterConnect).toMatchObject({ provider, state: "needs_provisioning", connections: [], latest_connection_id: null, last_job: null });
    expect(afterConnect.credentials).toHaveLength(1);

    const made = await keep(provision(t, provider));
    expect(made.status, made.text).toBe(201);
    expect(made.body).toMatchObject({ provider, source_reused: false, connection_reused: false, credential: { account_id: accountId } });
    expect(made.body.source.name).toBe(`adinsights-${t.id}-${provider}-${accountId}`);
    expect(made.body.connection).toMatchObject({ provider, schedule_type: "cron", cron_expression: "0 6-22 * * *", is_active: true, workspace_id: inject("testEnv").AIRBYTE_DEFAULT_WORKSPACE_ID });
    const remote = (await airbyteState()).connections.find((c) => c.connectionId === made.body.connection.connection_id);
    expect(remote).toMatchObject({ scheduleType: "cron", scheduleData: { cron: { cronExpression: "0 0 6-22 * * ?", cronTimeZone: "America/Jamaica" } }, status: "active" });
    expect(remote.syncCatalog.streams.map((s: any) => [s.config.syncMode, s.config.destinationSyncMode, s.config.selected])).toEqual([
      ["incremental", "append_dedup", true],
      ["full_refresh", "overwrite", true],
    ]);
    expect(remote.name).not.toMatch(TOKENS);
    expect(remote.name).not.toContain(t.name);
    expect((await keep(status(t, provider))).body.state).toBe("connected");

    const queued = await keep(api(`/api/integrations/${provider}/sync/`, { token: t.access, body: {} }));
    expect(queued.status).toBe(202);
    expect(queued.body).toMatchObject({ provider, connection_id: made.body.connection.connection_id, status: "queued", deduplicated: false });
    const done = await waitForState(t, provider, "connected");
    expect(done.last_job).toMatchObject({ job_id: queued.body.job_id, status: "succeeded", records_synced: 1234, bytes_synced: 56789, error: null });
    const jobs = await keep(api(`/api/integrations/${provider}/jobs/`, { token: t.access }));
    expect(jobs.body).toMatchObject({ provider, count: 1 });
    expect(jobs.body.jobs[0]).toMatchObject({
      job_id: queued.body.job_id,
      status: "succeeded",
      connection: { id: made.body.connection.id, name: made.body.connection.name, connection_id: made.body.connection.connection_id },
    });
    expect(jobs.body.jobs[0].airbyte_job_id).toMatch(/^\d+$/);
    expect(jobs.body.jobs[0].duration_seconds).toBeGreaterThanOrEqual(0);

    const gone = await keep(api(`/api/integrations/${provider}/disconnect/`, { token: t.access, body: {} }));
    expect(gone.status).toBe(200);
    expect(gone.body).toEqual({ provider, state: "not_connected", credentials_deleted: 1, connections_paused: 1, revoked: true });
    timings[provider] = Math.round(performance.now() - began);
    expect((await keep(status(t, provider))).body.state).toBe("not_connected");
    const revokes = familyOf(provider) === "google" ? await seen("google", "/revoke", user) : (await seen("meta", "/me/permissions", user)).filter((r) => r.method === "DELETE");
    expect(revokes).toHaveLength(1);
    const paused = (await airbyteState()).connections.find((c) => c.connectionId === made.body.connection.connection_id);
    expect(paused.status).toBe("inactive");
    const audit = await owner`select action from audit_logs where tenant_id = ${t.id} and action like 'integration_%' order by created_at`;
    expect(audit.map((r) => r.action)).toEqual(["integration_oauth_connected", "integration_provisioned", "integration_sync_triggered", "integration_disconnected"]);
  });
});

describe("provision/", () => {
  let t: TestTenant;
  beforeAll(async () => {
    t = await createTenant();
  });

  it("400 without a credential", async () => {
    const res = await keep(provision(t, "ga4"));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ detail: "No credential found for provider 'ga4'. Complete OAuth first." });
  });

  it("400 for facebook_pages until a source definition is configured or sent", async () => {
    await connect(t, "facebook_pages", fakeUser("fbp"));
    const res = await keep(api("/api/integrations/facebook_pages/provision/", { token: t.access, body: {} }));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ detail: "Source definition is not configured for this provider." });
  });

  it("validates the schedule", async () => {
    const bad = await keep(api("/api/integrations/ga4/provision/", { token: t.access, body: { schedule_type: "interval" } }));
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body)).toEqual(["interval_minutes"]);
    const zero = await keep(api("/api/integrations/ga4/provision/", { token: t.access, body: { schedule_type: "interval", interval_minutes: 0 } }));
    expect(Object.keys(zero.body)).toEqual(["interval_minutes"]);
    const cron = await keep(api("/api/integrations/ga4/provision/", { token: t.access, body: { cron_expression: "0 25 * * *" } }));
    expect(cron.body).toEqual({ cron_expression: ["Invalid hour field in cron expression."] });
    const six = await keep(api("/api/integrations/ga4/provision/", { token: t.access, body: { cron_expression: "0 0 6 * * ?" } }));
    expect(Object.keys(six.body)).toEqual(["cron_expression"]);
    const uuid = await keep(api("/api/integrations/ga4/provision/", { token: t.access, body: { workspace_id: "nope" } }));
    expect(uuid.body).toEqual({ workspace_id: ["Must be a valid UUID."] });
  });

  it("reuses and updates the source and connection; interval becomes a basic schedule", async () => {
    await connect(t, "search_console", fakeUser("reuse"));
    const first = await keep(provision(t, "search_console", { schedule_type: "manual" }));
    expect(first.status).toBe(201);
    const second = await keep(provision(t, "search_console", { schedule_type: "interval", interval_minutes: 90, is_active: false }));
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ source_reused: true, connection_reused: true, connection: { schedule_type: "interval", interval_minutes: 90, is_active: false } });
    expect(second.body.connection.id).toBe(first.body.connection.id);
    const remote = (await airbyteState()).connections.find((c) => c.connectionId === first.body.connection.connection_id);
    expect(remote).toMatchObject({ scheduleType: "basic", scheduleData: { basicSchedule: { timeUnit: "minutes", units: 90 } }, status: "inactive" });
    expect((await keep(status(t, "search_console"))).body.state).toBe("paused");
    const sync = await keep(api("/api/integrations/search_console/sync/", { token: t.access, body: {} }));
    expect(sync.status).toBe(404);
    expect(sync.body).toEqual({ detail: "No active Airbyte connection found for provider 'search_console'." });
  });

  it("sends the spec's source configuration, merged with source_configuration", async () => {
    const u = await createTenant();
    await connect(u, "google_ads", fakeUser("cfg"));
    const res = await keep(provision(u, "google_ads", { source_configuration: { conversion_window_days: 7 } }));
    const source = (await airbyteState()).sources.find((s) => s.sourceId === res.body.source.source_id);
    const config = source.connectionConfiguration;
    expect(config).toMatchObject({
      customer_id: res.body.credential.account_id,
      conversion_window_days: 7,
      credentials: { developer_token: "fake-dev-token", client_id: inject("testEnv").GOOGLE_OAUTH_CLIENT_ID, client_secret: "fake-google-secret" },
    });
    expect(config.credentials.refresh_token).toMatch(/^1\/\/rt-cfg-/);
    expect(config.start_date).toBe(new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10));
  });

  it("maps Airbyte failures: 5xx → 502, timeout → 504", async () => {
    const u = await createTenant();
    await staff(u);
    await connect(u, "ga4", fakeUser("abfail"));
    // A workspace of its own: other test files provision in the default workspace concurrently and
    // would consume failures injected for it.
    const failing = "5d2c7b9e-4a61-4f0e-9b3a-8e1f6c2d7a40";
    await failNext("airbyte", { path: "/sources/list", match: failing, mode: "status", status: 500, times: 3 });
    const failed = await keep(provision(u, "ga4", { workspace_id: failing }));
    expect(failed.status).toBe(502);
    expect(failed.body).toEqual({ detail: "Airbyte request failed." });
    const ws = "0b1a6a3e-2f55-4a36-9d1f-3c1d2e4f5a6b";
    await failNext("airbyte", { path: "/sources/list", match: ws, mode: "timeout", times: 3 });
    const slow = await keep(provision(u, "ga4", { workspace_id: ws }));
    expect(slow.status).toBe(504);
    expect(slow.body).toEqual({ detail: "Airbyte request failed." });
  });

  it("two concurrent provisions of one account → one source and one connection", async () => {
    const u = await createTenant();
    await staff(u);
    await connect(u, "meta_ads", fakeUser("race"));
    const ws = "7c0e4d1a-95a8-4b0e-8f7e-2b9d1c3a4e5f";
    const [x, y] = await Promise.all([provision(u, "meta_ads", { workspace_id: ws }), provision(u, "meta_ads", { workspace_id: ws })]);
    expect([x.status, y.status].sort()).toEqual([200, 201]);
    const state = await airbyteState();
    expect(state.sources.filter((s) => s.workspaceId === ws)).toHaveLength(1);
    expect(state.connections.filter((c) => c.workspaceId === ws)).toHaveLength(1);
  });
});

describe("sync/", () => {
  it("two concurrent calls → one job, one Airbyte job", async () => {
    const t = await createTenant();
    await connect(t, "ga4", fakeUser("twice"));
    const made = await provision(t, "ga4");
    const [x, y] = await Promise.all([
      keep(api("/api/integrations/ga4/sync/", { token: t.access, body: {} })),
      keep(api("/api/integrations/ga4/sync/", { token: t.access, body: {} })),
    ]);
    expect([x.status, y.status]).toEqual([202, 202]);
    expect(x.body.job_id).toBe(y.body.job_id);
    expect([x.body.deduplicated, y.body.deduplicated].sort()).toEqual([false, true]);
    await waitForState(t, "ga4", "connected");
    const triggered = await seen("airbyte", "/connections/sync", made.body.connection.connection_id);
    expect(triggered).toHaveLength(1);
    const rows = await owner`select count(*)::int as n from sync_jobs where tenant_id = ${t.id}`;
    expect(rows[0]!.n).toBe(1);
  });

  it("adopts a job Airbyte is already running for the connection instead of starting a second", async () => {
    const t = await createTenant();
    await connect(t, "google_ads", fakeUser("adopt"));
    const made = await provision(t, "google_ads");
    const connectionId = made.body.connection.connection_id;
    const env = inject("testEnv");
    const running = await fetch(`${env.AIRBYTE_API_URL}/v1/connections/sync`, {
      method: "POST",
      headers: { authorization: `Bearer ${env.AIRBYTE_API_TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({ connectionId }),
    }).then((r) => r.json());
    const queued = await keep(api("/api/integrations/google_ads/sync/", { token: t.access, body: {} }));
    const done = await waitForState(t, "google_ads", "connected");
    expect(done.last_job).toMatchObject({ job_id: queued.body.job_id, airbyte_job_id: String(running.job.id), status: "succeeded" });
    expect(await seen("airbyte", "/connections/sync", connectionId)).toHaveLength(1);
  });

  it("a running job that Airbyte no longer has (404) ends as failed; the next sync starts a new one", async () => {
    const t = await createTenant();
    await connect(t, "search_console", fakeUser("vanish"));
    const made = await provision(t, "search_console");
    const connectionId = made.body.connection.connection_id;
    // A long job, so it is certainly still running when Airbyte loses it.
    await fetch(`${fakeUrl("airbyte")}/__fake/job-outcome`, { method: "POST", body: JSON.stringify({ connection_id: connectionId, outcome: "succeeded", duration_ms: 120_000 }) });
    const queued = await keep(api("/api/integrations/search_console/sync/", { token: t.access, body: {} }));
    const running = await until(() => status(t, "search_console"), (r) => r.body.last_job?.status === "running" && r.body.last_job.airbyte_job_id !== null);
    expect(running.body).toMatchObject({ state: "syncing", last_job: { job_id: queued.body.job_id, status: "running" } });
    await fetch(`${fakeUrl("airbyte")}/__fake/forget-job`, { method: "POST", body: JSON.stringify({ id: Number(running.body.last_job.airbyte_job_id) }) });
    const failed = await waitForState(t, "search_console", "error");
    expect(failed.last_job).toMatchObject({ job_id: queued.body.job_id, status: "failed", error: "The Airbyte job no longer exists." });
    // The connection is free again: a new sync starts a new Airbyte job.
    await fetch(`${fakeUrl("airbyte")}/__fake/job-outcome`, { method: "POST", body: JSON.stringify({ connection_id: connectionId, outcome: "succeeded" }) });
    const again = await keep(api("/api/integrations/search_console/sync/", { token: t.access, body: {} }));
    expect(again.body).toMatchObject({ deduplicated: false });
    expect((await waitForState(t, "search_console", "connected")).last_job).toMatchObject({ job_id: again.body.job_id, status: "succeeded" });
    expect(await seen("airbyte", "/connections/sync", connectionId)).toHaveLength(2);
  });

  it("ANALYST may sync; a failed job shows as error; an auth failure marks the credential needs_reauth", async () => {
    const t = await createTenant();
    await connect(t, "meta_ads", fakeUser("authfail"));
    const made = await provision(t, "meta_ads");
    const analyst = await createMember(t);
    await owner`insert into user_roles (tenant_id, user_id, role) values (${t.id}, ${analyst.id}, 'ANALYST')`;

    await fetch(`${fakeUrl("airbyte")}/__fake/job-outcome`, { method: "POST", body: JSON.stringify({ connection_id: made.body.connection.connection_id, outcome: "failed", failure_type: "system_error", message: "Destination unreachable" }) });
    expect((await api("/api/integrations/meta_ads/sync/", { token: analyst.access, body: {} })).status).toBe(202);
    const errored = await waitForState(t, "meta_ads", "error");
    expect(errored.last_job).toMatchObject({ status: "failed", error: "Destination unreachable" });
    expect(errored.connections[0]).toMatchObject({ last_job_status: "failed", last_job_error: "Destination unreachable" });

    await fetch(`${fakeUrl("airbyte")}/__fake/job-outcome`, { method: "POST", body: JSON.stringify({ connection_id: made.body.connection.connection_id, outcome: "failed", failure_type: "config_error", message: "Error validating access token: 190 invalid credentials" }) });
    expect((await api("/api/integrations/meta_ads/sync/", { token: analyst.access, body: {} })).status).toBe(202);
    const reauth = await waitForState(t, "meta_ads", "needs_reauth");
    expect(reauth.credentials[0].token_status).toBe("needs_reauth");
  });

  it("disconnect cancels a queued sync and narrows to one account", async () => {
    const t = await createTenant();
    await connect(t, "google_ads", fakeUser("narrow"));
    const res = await keep(api("/api/integrations/google_ads/disconnect/", { token: t.access, body: { external_account_id: "1" } }));
    expect(res.body).toEqual({ provider: "google_ads", state: "not_connected", credentials_deleted: 0, connections_paused: 0, revoked: false });
    expect((await status(t, "google_ads")).body.state).toBe("needs_provisioning");
    const nothing = await keep(api("/api/integrations/ga4/disconnect/", { token: t.access, body: {} }));
    expect(nothing.status).toBe(200);
    expect(nothing.body.credentials_deleted).toBe(0);
  });

  it("a failed revoke is reported, not fatal", async () => {
    const t = await createTenant();
    const user = fakeUser("revokefail");
    await connect(t, "ga4", user);
    await failNext("google", { path: "/revoke", mode: "status", status: 503, times: 3, match: user });
    const res = await keep(api("/api/integrations/ga4/disconnect/", { token: t.access, body: {} }));
    expect(res.body).toMatchObject({ credentials_deleted: 1, revoked: false });
    expect((await status(t, "ga4")).body.state).toBe("not_connected");
  });
});

describe("tenant isolation", () => {
  it("another tenant sees none of A's credentials, connections or jobs, and cannot sync them", async () => {
    const a = await createTenant();
    const b = await createTenant();
    await connect(a, "search_console", fakeUser("iso"));
    await provision(a, "search_console");
    await api("/api/integrations/search_console/sync/", { token: a.access, body: {} });
    const seenByB = await keep(status(b, "search_console"));
    expect(seenByB.body).toMatchObject({ state: "not_connected", credentials: [], connections: [], last_job: null });
    expect((await keep(api("/api/integrations/search_console/jobs/", { token: b.access }))).body.count).toBe(0);
    expect((await keep(api("/api/integrations/search_console/sync/", { token: b.access, body: {} }))).status).toBe(404);
    const gone = await keep(api("/api/integrations/search_console/disconnect/", { token: b.access, body: {} }));
    expect(gone.body.credentials_deleted).toBe(0);
    expect((await status(a, "search_console")).body.credentials).toHaveLength(1);
  });
});

describe("jobs/", () => {
  it("validates and clamps limit", async () => {
    const t = await createTenant();
    const bad = await keep(api("/api/integrations/ga4/jobs/?limit=abc", { token: t.access }));
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ detail: "limit must be an integer." });
    for (const l of ["0", "500", "-3"]) expect((await api(`/api/integrations/ga4/jobs/?limit=${l}`, { token: t.access })).body).toEqual({ provider: "ga4", count: 0, jobs: [] });
  });
});

describe("secrets", () => {
  it("no token in any response body, log line, or Airbyte-visible name", async () => {
    expect(bodies.length).toBeGreaterThan(30);
    for (const text of bodies) expect(text).not.toMatch(TOKENS);
    const log = readFileSync(inject("serverLog"), "utf8") + readFileSync(inject("serverLog").replace("server.log", "worker.log"), "utf8");
    expect(log).toContain("outbound");
    expect(log).not.toMatch(TOKENS);
    const state = await airbyteState();
    for (const n of [...state.sources, ...state.connections].map((x) => x.name)) expect(n).not.toMatch(TOKENS);
  });
});
