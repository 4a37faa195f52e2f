/**
 * Connector behaviour that depends on the environment: a second app instance (same database)
 * without OAuth apps or Airbyte answers 503/400 as the spec says, and a worker killed while it
 * polls an Airbyte job does not lose the sync.
 */
import path from "node:path";
import { Queue } from "bullmq";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { api, createTenant, type TestTenant } from "../support/api";
import { connect, fakeUrl, fakeUser, provision, seen, waitForState } from "../support/connectors";
import { ARTIFACTS } from "../support/stack";
import { startAppServer, type AppServer } from "../support/app-server";
import { spawnWorker, type WorkerProcess } from "../support/worker";

let owner: postgres.Sql;
beforeAll(() => {
  owner = postgres(inject("ownerDatabaseUrl"), { max: 2, onnotice: () => {} });
});
afterAll(async () => owner.end());

describe("without OAuth apps or Airbyte configured", () => {
  let bare: AppServer;
  let t: TestTenant;
  beforeAll(async () => {
    const env = { ...inject("testEnv") };
    for (const key of ["GOOGLE_OAUTH_CLIENT_SECRET", "META_APP_ID", "AIRBYTE_API_URL", "AIRBYTE_DEFAULT_WORKSPACE_ID", "AIRBYTE_DEFAULT_DESTINATION_ID"]) env[key] = "";
    env.META_APP_SECRET = "replace-me";
    bare = await startAppServer(env, { logFile: path.join(ARTIFACTS, "bare-app.log"), ownFrontend: true });
    t = await createTenant();
    await connect(t, "ga4", fakeUser("bare"));
  }, 90_000);
  afterAll(async () => bare?.stop());

  it("oauth/start answers 503 per family, never naming a variable's value", async () => {
    const google = await api("/api/integrations/ga4/oauth/start/", { base: bare.baseUrl, token: t.access, body: {} });
    expect(google.status).toBe(503);
    expect(google.body).toEqual({ detail: "Google OAuth is not configured for this provider." });
    const meta = await api("/api/integrations/facebook_pages/reconnect/", { base: bare.baseUrl, token: t.access, body: {} });
    expect(meta.status).toBe(503);
    expect(meta.body).toEqual({ detail: "Meta OAuth is not configured for this provider." });
  });

  it("provision needs a workspace and destination, then Airbyte; sync needs Airbyte", async () => {
    const noDefaults = await api("/api/integrations/ga4/provision/", { base: bare.baseUrl, token: t.access, body: {} });
    expect(noDefaults.status).toBe(400);
    expect(noDefaults.body).toEqual({
      detail: "workspace_id and destination_id are required unless AIRBYTE_DEFAULT_WORKSPACE_ID and AIRBYTE_DEFAULT_DESTINATION_ID are set.",
    });
    const ids = { workspace_id: "5ae6b09b-fdec-41af-aaf7-7d94cfc33ef6", destination_id: "e0b7d7a0-5f8c-4b3e-9d51-4c1c2a8c0b11" };
    // Only platform staff may name a workspace and destination (api.md §0.16).
    expect((await api("/api/integrations/ga4/provision/", { base: bare.baseUrl, token: t.access, body: ids })).status).toBe(403);
    await owner`update users set is_superuser = true where id = ${t.adminId}`;
    const noAirbyte = await api("/api/integrations/ga4/provision/", { base: bare.baseUrl, token: t.access, body: ids });
    expect(noAirbyte.status).toBe(503);
    expect(noAirbyte.body).toEqual({ detail: "Airbyte is not configured for this environment." });
    const sync = await api("/api/integrations/ga4/sync/", { base: bare.baseUrl, token: t.access, body: {} });
    expect(sync.status).toBe(503);
    expect(sync.body).toEqual({ detail: "Airbyte is not configured for this environment." });
  });
});

describe("with no worker on the queue", () => {
  it("a sync stays queued (status syncing) and disconnect cancels it, in the table and the queue", async () => {
    const env = { ...inject("testEnv"), QUEUE_PREFIX: `${inject("testEnv").QUEUE_PREFIX}-idle` };
    const app = await startAppServer(env, { logFile: path.join(ARTIFACTS, "idle-app.log"), ownFrontend: true });
    const queue = new Queue("connector-sync", { connection: { url: inject("testEnv").REDIS_URL! }, prefix: env.QUEUE_PREFIX });
    try {
      const t = await createTenant();
      await connect(t, "ga4", fakeUser("idle"));
      await provision(t, "ga4");
      const queued = await api("/api/integrations/ga4/sync/", { base: app.baseUrl, token: t.access, body: {} });
      expect(queued.body).toMatchObject({ status: "queued", deduplicated: false });
      expect(await queue.getJob(queued.body.job_id)).toBeTruthy();
      const again = await api("/api/integrations/ga4/sync/", { base: app.baseUrl, token: t.access, body: {} });
      expect(again.body).toMatchObject({ job_id: queued.body.job_id, status: "queued", deduplicated: true });
      const s = await api("/api/integrations/ga4/status/", { base: app.baseUrl, token: t.access });
      expect(s.body).toMatchObject({ state: "syncing", last_job: { job_id: queued.body.job_id, status: "queued", started_at: null } });

      const gone = await api("/api/integrations/ga4/disconnect/", { base: app.baseUrl, token: t.access, body: {} });
      expect(gone.body).toMatchObject({ credentials_deleted: 1, connections_paused: 1 });
      const [row] = await owner`select status, finished_at from sync_jobs where id = ${queued.body.job_id}`;
      expect(row).toMatchObject({ status: "cancelled" });
      expect(await queue.getJob(queued.body.job_id)).toBeUndefined();
      const jobs = await api("/api/integrations/ga4/jobs/", { base: app.baseUrl, token: t.access });
      expect(jobs.body.jobs[0]).toMatchObject({ status: "cancelled", error: "Cancelled by disconnect." });
    } finally {
      await queue.close();
      await app.stop();
    }
  }, 90_000);
});

describe("a worker killed while its sync runs", () => {
  it("loses nothing: the Airbyte job it started is followed to the end, never started twice", async () => {
    // Own queue namespace: only the workers started here see this app's jobs.
    const env = { ...inject("testEnv"), QUEUE_PREFIX: `${inject("testEnv").QUEUE_PREFIX}-kill` };
    const app = await startAppServer(env, { logFile: path.join(ARTIFACTS, "kill-app.log"), ownFrontend: true });
    const first = await spawnWorker(env);
    let second: WorkerProcess | undefined;
    try {
      const t = await createTenant();
      await connect(t, "google_ads", fakeUser("kill"));
      const made = await provision(t, "google_ads");
      const connectionId = made.body.connection.connection_id;
      await fetch(`${fakeUrl("airbyte")}/__fake/job-outcome`, { method: "POST", body: JSON.stringify({ connection_id: connectionId, outcome: "succeeded", running_polls: 12 }) });

      const queued = await api("/api/integrations/google_ads/sync/", { base: app.baseUrl, token: t.access, body: {} });
      expect(queued.status).toBe(202);
      // Wait until the first worker has started the Airbyte job and recorded it.
      for (let i = 0; i < 100; i++) {
        const [row] = await owner`select status, airbyte_job_id from sync_jobs where id = ${queued.body.job_id}`;
        if (row?.airbyte_job_id) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const polls = (await seen("airbyte", "/jobs/get")).length;
      first.child.kill("SIGKILL");
      await first.exited;
      second = await spawnWorker(env);

      const done = await waitForState(t, "google_ads", "connected", 45_000);
      expect(done.last_job).toMatchObject({ job_id: queued.body.job_id, status: "succeeded", records_synced: 1234 });
      expect(await seen("airbyte", "/connections/sync", connectionId)).toHaveLength(1);
      expect((await seen("airbyte", "/jobs/get")).length).toBeGreaterThan(polls);
    } finally {
      for (const w of [first, second]) {
        if (w && w.child.exitCode === null && w.child.signalCode === null) {
          w.child.kill("SIGTERM");
          await w.exited;
        }
      }
      await app.stop();
    }
  }, 90_000);
});
