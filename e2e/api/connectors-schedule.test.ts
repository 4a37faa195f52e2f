/**
 * Scheduled syncs (issue "Connectors", step 5): with SYNC_SCHEDULER=worker, provision gives Airbyte
 * a manual schedule and the worker's sync sweep (every second in tests) enqueues due runs; with
 * Airbyte scheduling a connection, the sweep never touches it, so nothing runs twice. Also: a sync
 * the worker gives up on is recorded as failed, and one whose queue job died is run again.
 */
import path from "node:path";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { enqueueDueSyncs } from "../../server/services/connectors/sync-sweep";
import { api, createTenant, type TestTenant } from "../support/api";
import { releaseAppEnv, useAppEnv } from "../support/app-env";
import { startAppServer, type AppServer } from "../support/app-server";
import { airbyteState, connect, fakeUrl, fakeUser, provision, seen, status, waitForState, type Slug, until } from "../support/connectors";
import { ARTIFACTS } from "../support/stack";
import { ownerSql } from "../support/tenant-rows";

let workerScheduled: AppServer;
const owner = ownerSql();

beforeAll(async () => {
  workerScheduled = await startAppServer({ ...inject("testEnv"), SYNC_SCHEDULER: "worker" }, { logFile: path.join(ARTIFACTS, "worker-scheduled-app.log") });
  useAppEnv();
}, 90_000);
afterAll(async () => {
  await workerScheduled?.stop();
  await owner.end();
  await releaseAppEnv();
});

/** Provision through the app that hands schedules to our worker. */
const provisionForWorker = (t: TestTenant, provider: Slug, body: Record<string, unknown>) =>
  api(`/api/integrations/${provider}/provision/`, { base: workerScheduled.baseUrl, token: t.access, body });

const makeDue = (connectionRowId: string, minutesAgo = 1) =>
  owner`update airbyte_connections set next_sync_at = now() - make_interval(mins => ${minutesAgo}) where id = ${connectionRowId} returning next_sync_at`;
/** Airbyte's own scheduler starting a run of a connection (the fake refuses unscheduled ones). */
const scheduledRun = (connectionId: string, finished = false) =>
  fetch(`${fakeUrl("airbyte")}/__fake/scheduled-run`, { method: "POST", body: JSON.stringify({ connection_id: connectionId, finished }) });
const jobOutcome = (connectionId: string, outcome: Record<string, unknown>) =>
  fetch(`${fakeUrl("airbyte")}/__fake/job-outcome`, { method: "POST", body: JSON.stringify({ connection_id: connectionId, ...outcome }) });
const airbyteConnection = async (connectionId: string) => (await airbyteState()).connections.find((c) => c.connectionId === connectionId);
const syncCalls = (connectionId: string) => seen("airbyte", "/connections/sync", connectionId);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


describe("the sync sweep", () => {
  it("runs a due worker-scheduled connection once, and leaves Airbyte-scheduled ones to Airbyte", async () => {
    const t = await createTenant();
    await connect(t, "ga4", fakeUser("sweep"));
    await connect(t, "google_ads", fakeUser("sweep"));
    const ours = await provisionForWorker(t, "ga4", { schedule_type: "interval", interval_minutes: 60 });
    expect(ours.status).toBe(201);
    expect(ours.body.connection).toMatchObject({ schedule_type: "interval", interval_minutes: 60, schedule_managed_by: "worker" });
    const firstDue = new Date(ours.body.connection.next_sync_at).getTime();
    expect(firstDue).toBeGreaterThan(Date.now() + 59 * 60_000);
    expect(firstDue).toBeLessThanOrEqual(Date.now() + 60 * 60_000);
    // Airbyte must not run this schedule as well.
    expect(await airbyteConnection(ours.body.connection.connection_id)).toMatchObject({ scheduleType: "manual" });
    expect((await scheduledRun(ours.body.connection.connection_id)).status).toBe(409);

    const theirs = await provision(t, "google_ads", { schedule_type: "cron", cron_expression: "0 6 * * *" });
    // Airbyte runs it; next_sync_at is when the sweep expects that run (06:00 Kingston = 11:00 UTC).
    expect(theirs.body.connection).toMatchObject({ schedule_managed_by: "airbyte" });
    expect(new Date(theirs.body.connection.next_sync_at).toISOString()).toMatch(/T11:00:00\.000Z$/);
    expect(await airbyteConnection(theirs.body.connection.connection_id)).toMatchObject({
      scheduleType: "cron",
      scheduleData: { cron: { cronExpression: "0 0 6 * * ?", cronTimeZone: "America/Jamaica" } },
    });

    // Both due (theirs past its grace too); only ours is the sweep's to start.
    const due = (await makeDue(ours.body.connection.id))[0]!.next_sync_at;
    await makeDue(theirs.body.connection.id, 3);
    const done = await until(() => status(t, "ga4"), (r) => r.body.last_job?.status === "succeeded");
    expect(done.body).toMatchObject({ state: "connected" });
    expect(done.body.last_job).toMatchObject({ status: "succeeded", trigger: "schedule", records_synced: 1234 });
    const [row] = await owner`select next_sync_at from airbyte_connections where id = ${ours.body.connection.id}`;
    // The interval keeps its cadence from the slot that was due.
    expect(new Date(row!.next_sync_at).getTime()).toBe(new Date(due).getTime() + 60 * 60_000);

    await sleep(2_500); // a few more sweeps
    expect(await syncCalls(ours.body.connection.connection_id)).toHaveLength(1);
    // Airbyte started nothing (the fake's scheduler was not told to), so there is nothing to record.
    expect(await syncCalls(theirs.body.connection.connection_id)).toHaveLength(0);
    expect((await status(t, "google_ads")).body).toMatchObject({ state: "connected", last_job: null });
    const [moved] = await owner`select next_sync_at from airbyte_connections where id = ${theirs.body.connection.id}`;
    expect(new Date(moved!.next_sync_at).getTime()).toBeGreaterThan(Date.now());
    const jobs = await api("/api/integrations/ga4/jobs/", { token: t.access });
    expect(jobs.body.count).toBe(1);
  });

  it("two sweeps and a manual sync/ racing for a due connection start one Airbyte job", async () => {
    const t = await createTenant();
    await connect(t, "search_console", fakeUser("race"));
    const made = await provisionForWorker(t, "search_console", { schedule_type: "cron", cron_expression: "15 4 * * *" });
    // 04:15 in Kingston is 09:15 UTC: the next one after now.
    const next = new Date(made.body.connection.next_sync_at);
    expect([next.getUTCHours(), next.getUTCMinutes()]).toEqual([9, 15]);
    expect(next.getTime() - Date.now()).toBeGreaterThan(0);
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(86_400_000);

    await makeDue(made.body.connection.id);
    const [a, b, manual] = await Promise.all([
      enqueueDueSyncs(),
      enqueueDueSyncs(),
      api("/api/integrations/search_console/sync/", { token: t.access, body: {} }),
    ]);
    expect(manual.status).toBe(202);
    // The worker's own sweep runs too; however the race falls, one job was created in all.
    expect(a.failedTenants + b.failedTenants).toBe(0);
    await until(() => status(t, "search_console"), (r) => r.body.last_job?.status === "succeeded");
    const rows = await owner`select status, trigger from sync_jobs where connection_row_id = ${made.body.connection.id}`;
    expect(rows).toHaveLength(1);
    expect(await syncCalls(made.body.connection.connection_id)).toHaveLength(1);
    // The cron slot moved to the following day's 04:15 Kingston.
    const [row] = await owner`select next_sync_at from airbyte_connections where id = ${made.body.connection.id}`;
    expect(new Date(row!.next_sync_at).toISOString()).toBe(next.toISOString());
  });

  it("skips a due slot whose account needs reconnecting, and forgets inactive and re-scheduled connections", async () => {
    const t = await createTenant();
    await connect(t, "ga4", fakeUser("skip"));
    await connect(t, "meta_ads", fakeUser("skip"));
    const reauth = await provisionForWorker(t, "ga4", { schedule_type: "interval", interval_minutes: 5 });
    await owner`update platform_credentials set token_status = 'needs_reauth' where tenant_id = ${t.id} and provider = 'ga4'`;
    await makeDue(reauth.body.connection.id);
    const moved = await until(
      () => owner`select next_sync_at from airbyte_connections where id = ${reauth.body.connection.id}`,
      (rows) => new Date(rows[0]!.next_sync_at).getTime() > Date.now(),
    );
    expect(new Date(moved[0]!.next_sync_at).getTime()).toBeGreaterThan(Date.now());
    expect(await owner`select 1 from sync_jobs where connection_row_id = ${reauth.body.connection.id}`).toHaveLength(0);

    // Paused (is_active false) and then handed back to Airbyte: never swept.
    const paused = await provisionForWorker(t, "meta_ads", { schedule_type: "interval", interval_minutes: 5, is_active: false });
    expect(paused.body.connection).toMatchObject({ is_active: false, schedule_managed_by: "worker" });
    await makeDue(paused.body.connection.id);
    const back = await provision(t, "meta_ads", { schedule_type: "interval", interval_minutes: 5, is_active: false });
    expect(back.body).toMatchObject({ connection_reused: true, connection: { schedule_managed_by: "airbyte" } });
    expect(await airbyteConnection(back.body.connection.connection_id)).toMatchObject({ scheduleType: "basic" });
    await makeDue(paused.body.connection.id, 3);
    await sleep(2_500);
    expect(await syncCalls(paused.body.connection.connection_id)).toHaveLength(0);
    const summary = await enqueueDueSyncs();
    expect(summary.failedTenants).toBe(0);
    expect(await owner`select 1 from sync_jobs where connection_row_id = ${paused.body.connection.id}`).toHaveLength(0);
  });
});

describe("runs Airbyte's scheduler started", () => {
  it("are recorded once, finished or still running, without starting any job", async () => {
    const t = await createTenant();
    await connect(t, "google_ads", fakeUser("airbyte-runs"));
    const made = await provision(t, "google_ads", { schedule_type: "interval", interval_minutes: 60 });
    expect(made.body.connection).toMatchObject({ schedule_managed_by: "airbyte" });
    const connectionId = made.body.connection.connection_id;
    // One run ended before anyone looked; the next is still running when the sweep finds it.
    expect((await scheduledRun(connectionId, true)).status).toBe(200);
    await jobOutcome(connectionId, { outcome: "succeeded", running_polls: 3 });
    expect((await scheduledRun(connectionId)).status).toBe(200);

    await makeDue(made.body.connection.id, 3);
    const done = await until(
      () => api("/api/integrations/google_ads/jobs/", { token: t.access }),
      (r) => r.body.count === 2 && r.body.jobs.every((j: { status: string }) => j.status === "succeeded"),
    );
    expect(done.body.jobs.map((j: any) => [j.trigger, j.status, j.records_synced])).toEqual([
      ["airbyte", "succeeded", 1234],
      ["airbyte", "succeeded", 1234],
    ]);
    expect(done.body.jobs[0].finished_at).not.toBeNull();
    expect(await syncCalls(connectionId)).toHaveLength(0);
    expect((await status(t, "google_ads")).body).toMatchObject({ state: "connected", connections: [{ last_job_status: "succeeded" }] });

    // Seen again by two sweeps at once: still recorded once.
    await makeDue(made.body.connection.id, 3);
    await Promise.all([enqueueDueSyncs(), enqueueDueSyncs()]);
    expect((await api("/api/integrations/google_ads/jobs/", { token: t.access })).body.count).toBe(2);
  });

  it("an Airbyte-scheduled run rejected for its credentials asks for a reconnect", async () => {
    const t = await createTenant();
    await connect(t, "ga4", fakeUser("airbyte-reauth"));
    const made = await provision(t, "ga4");
    const connectionId = made.body.connection.connection_id;
    await jobOutcome(connectionId, { outcome: "failed", failure_type: "config_error", message: "Access token expired or revoked" });
    await scheduledRun(connectionId, true);
    await makeDue(made.body.connection.id, 3);
    const s = await waitForState(t, "ga4", "needs_reauth");
    expect(s.last_job).toMatchObject({ trigger: "airbyte", status: "failed", error: "Access token expired or revoked" });
    expect(await syncCalls(connectionId)).toHaveLength(0);
  });
});

describe("syncs the worker cannot finish", () => {
  const FAULT = "test_injected_sync_fault";
  let queue: Queue;
  beforeAll(async () => {
    await owner.unsafe(`create or replace function ${FAULT}() returns trigger language plpgsql as $$ begin raise exception 'injected fault'; end $$`);
    queue = new Queue("connector-sync", { connection: { url: inject("testEnv").REDIS_URL! }, prefix: inject("testEnv").QUEUE_PREFIX });
  });
  afterAll(async () => queue?.close());

  /** Makes updates of one connection's sync_jobs fail in Postgres (only the claim, or every update). */
  async function breakUpdates(connectionRowId: string, only: "claim" | "all") {
    const name = `fault_${connectionRowId.replace(/-/g, "")}`;
    const when = only === "claim" ? `old.connection_row_id = '${connectionRowId}' and new.status = 'running'` : `old.connection_row_id = '${connectionRowId}'`;
    await owner.unsafe(`create trigger ${name} before update on sync_jobs for each row when (${when}) execute function ${FAULT}()`);
    return () => owner.unsafe(`drop trigger ${name} on sync_jobs`);
  }

  it("the last failed attempt records the sync as failed; a dead queue job is run again on the next sync/", async () => {
    const flows = (["google_ads", "ga4"] as const).map(async (provider, i) => {
      const t = await createTenant();
      await connect(t, provider, fakeUser("fault"));
      const made = await provision(t, provider, { schedule_type: "manual" });
      const repair = await breakUpdates(made.body.connection.id, i === 0 ? "claim" : "all");
      const queued = await api(`/api/integrations/${provider}/sync/`, { token: t.access, body: {} });
      expect(queued.status).toBe(202);
      return { t, provider, made, repair, jobId: queued.body.job_id as string };
    });
    const [claimOnly, everything] = await Promise.all(flows);

    // Claim failures: five attempts (2 s backoff, doubling), then the row is marked failed. Every
    // attempt adopted the Airbyte job the first one started: one Airbyte job in all.
    const failed = await waitForState(claimOnly!.t, claimOnly!.provider, "error", 60_000);
    expect(failed.last_job).toMatchObject({ job_id: claimOnly!.jobId, status: "failed", error: "The sync could not be completed. Try again." });
    expect(await syncCalls(claimOnly!.made.body.connection.connection_id)).toHaveLength(1);
    await claimOnly!.repair();

    // Every update failing: not even the failure could be written, so the row is still queued
    // after its queue job gave up. The next sync/ finds it (deduplicated) and runs that job again.
    const queueJob = await until(
      () => queue.getJob(everything!.jobId),
      (job) => job?.finishedOn !== undefined && job.failedReason !== undefined,
      60_000,
    );
    expect(queueJob?.attemptsMade).toBe(5);
    expect((await owner`select status from sync_jobs where id = ${everything!.jobId}`)[0]).toMatchObject({ status: "queued" });
    await everything!.repair();
    const again = await api(`/api/integrations/${everything!.provider}/sync/`, { token: everything!.t.access, body: {} });
    expect(again.body).toMatchObject({ job_id: everything!.jobId, deduplicated: true });
    const done = await waitForState(everything!.t, everything!.provider, "connected", 30_000);
    expect(done.last_job).toMatchObject({ job_id: everything!.jobId, status: "succeeded" });
    expect(await syncCalls(everything!.made.body.connection.connection_id)).toHaveLength(1);
  }, 120_000);
});
