/**
 * The built worker process: health, idempotent scheduler registration, a scheduler lost from Redis
 * reported as unhealthy and registered again, graceful shutdown (a running job finishes on
 * SIGTERM), failed jobs kept and listed by the queues CLI, and a job stalled by a killed worker
 * picked up by another.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { type Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { startFakeKms, type FakeKms } from "../e2e/fakes/kms";
import { useAppEnv } from "../e2e/support/app-env";
import { seedCredential } from "../e2e/support/credentials";
import { insertTenants } from "../e2e/support/tenant-rows";
import { dropQueuePrefix, spawnWorker, waitFor } from "../e2e/support/worker";
import { closeDatabase } from "../server/db/client";
import { closeQueues, enqueue, queueFor, ROTATION_SCHEDULE, rotateDeksQueue, syncSweepQueue } from "../server/infra/queue";
import { PROCESSORS } from "./processors";

const run = promisify(execFile);
let fake: FakeKms;
let childEnv: Record<string, string>;
let tenants: string[];
let queue: Queue;
const prefix = `adinsights-worker-test-${process.pid}-${Date.now()}`;

beforeAll(async () => {
  fake = await startFakeKms();
  useAppEnv({ ...fake.env(), QUEUE_PREFIX: prefix });
  childEnv = { ...inject("testEnv"), ...fake.env(), QUEUE_PREFIX: prefix, WORKER_STALLED_INTERVAL_MS: "500", WORKER_LOCK_DURATION_MS: "1500" };
  tenants = await insertTenants(6, "Worker");
  for (const t of tenants) await seedCredential(t);
  queue = queueFor(rotateDeksQueue);
});
afterAll(async () => {
  await closeQueues();
  await closeDatabase();
  await dropQueuePrefix(childEnv.REDIS_URL!, prefix);
  await fake.close();
});

describe("worker process", () => {
  it("serves /healthz and registers the weekly rotation scheduler exactly once across restarts", async () => {
    for (let i = 0; i < 2; i++) {
      const worker = await spawnWorker(childEnv);
      const health = await fetch(worker.healthUrl);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: "ok", redis: "ok", workers: "ok", schedulers: "ok", queues: PROCESSORS.map((p) => p.queue.name) });
      worker.child.kill("SIGTERM");
      expect(await worker.exited).toBe(0);
    }
    const schedulers = await queue.getJobSchedulers(0, -1);
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({ key: "rotate-deks-weekly", pattern: ROTATION_SCHEDULE.pattern, tz: ROTATION_SCHEDULE.tz });
    // The next run is a Sunday 06:30Z (01:30 in Jamaica), within the coming week.
    const next = new Date(schedulers[0]!.next!);
    expect(next.getUTCDay()).toBe(0);
    expect(next.toISOString()).toMatch(/T06:30:00\.000Z$/);
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(7 * 24 * 3600 * 1000);
    // Only the one delayed job for that run exists.
    expect(await queue.getDelayedCount()).toBe(1);
  });

  it("a scheduler lost from Redis is unhealthy in /healthz and the queues CLI until a worker registers it again", async () => {
    const env = { ...process.env, ...childEnv };
    // Checks once an hour: the loss stays visible.
    const idle = await spawnWorker({ ...childEnv, SCHEDULER_CHECK_INTERVAL_MS: "3600000" });
    try {
      expect((await fetch(idle.healthUrl)).status).toBe(200);
      // What a flush or an eviction does to it.
      await queueFor(syncSweepQueue).removeJobScheduler("sync-sweep");
      const health = await fetch(idle.healthUrl);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: "error", redis: "ok", workers: "ok", schedulers: "missing", missing_schedulers: ["sync-sweep"] });
    } finally {
      idle.child.kill("SIGTERM");
      await idle.exited;
    }
    const text = await run(process.execPath, [path.join("dist", "queues.mjs")], { env }).then(
      () => null,
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(text?.code).toBe(1);
    expect(text?.stdout).toMatch(/sync-sweep\s.*MISSING:sync-sweep/);
    expect(text?.stderr).toContain("unhealthy: job scheduler(s) missing from Redis: sync-sweep (sync-sweep)");

    // A running worker's periodic check puts it back (its start registers everything anyway, so
    // the scheduler is removed again while it runs).
    const healer = await spawnWorker({ ...childEnv, SCHEDULER_CHECK_INTERVAL_MS: "300" });
    try {
      await queueFor(syncSweepQueue).removeJobScheduler("sync-sweep");
      await waitFor("scheduler restored", async () => (await queueFor(syncSweepQueue).getJobScheduler("sync-sweep")) !== undefined, 10_000);
      expect(healer.output()).toContain("job scheduler was missing from redis; registered again");
      expect((await fetch(healer.healthUrl)).status).toBe(200);
      const json = await run(process.execPath, [path.join("dist", "queues.mjs"), "--json"], { env });
      expect((JSON.parse(json.stdout) as { missing_schedulers: string[] }[]).flatMap((r) => r.missing_schedulers)).toEqual([]);
      expect(await queueFor(syncSweepQueue).getJobSchedulers(0, -1)).toHaveLength(1);
    } finally {
      healer.child.kill("SIGTERM");
      await healer.exited;
    }
  });

  it("on SIGTERM a running job finishes before the worker exits", async () => {
    fake.setLatency(150);
    try {
      const job = await enqueue(rotateDeksQueue, { tenantIds: tenants.slice(0, 3) });
      const worker = await spawnWorker(childEnv);
      await waitFor("job active", async () => (await job.getState()) === "active");
      worker.child.kill("SIGTERM");
      expect(await worker.exited).toBe(0);
      expect(await job.getState()).toBe("completed");
      const done = await queue.getJob(job.id!);
      expect(done!.returnvalue).toMatchObject({ tenants: 3, rotated: 3, failed: 0, values: 6 });
      expect(worker.output()).toContain('"jobs":"finished"');
    } finally {
      fake.setLatency(0);
    }
  });

  it("a job stalled by a killed worker is picked up by another worker", async () => {
    fake.setLatency(400);
    try {
      const job = await enqueue(rotateDeksQueue, { tenantIds: tenants.slice(3) });
      const first = await spawnWorker(childEnv);
      await waitFor("job active", async () => (await job.getState()) === "active");
      const firstWorker = (await queue.getJob(job.id!))!.processedBy;
      first.child.kill("SIGKILL");
      await first.exited;
      const second = await spawnWorker(childEnv);
      try {
        await waitFor("job completed", async () => (await job.getState()) === "completed", 30_000);
        const done = (await queue.getJob(job.id!))!;
        expect(done.processedBy).not.toBe(firstWorker);
        expect(done.processedBy).toContain(String(second.child.pid));
        expect(done.returnvalue).toMatchObject({ tenants: 3, failed: 0 });
        expect(second.output()).toMatch(/job stalled; retrying|"job started"/);
      } finally {
        second.child.kill("SIGTERM");
        await second.exited;
      }
    } finally {
      fake.setLatency(0);
    }
  }, 60_000);

  it("failed jobs are kept and listed by the queues CLI; depth is reported per queue", { timeout: 60_000 }, async () => {
    // Bypasses the producer's validation, as a stale producer might.
    const bad = await queue.add("rotate-deks", { tenantIds: ["nope"] });
    const worker = await spawnWorker(childEnv);
    try {
      await waitFor("job failed", async () => (await bad.getState()) === "failed");
    } finally {
      worker.child.kill("SIGTERM");
      await worker.exited;
    }
    const env = { ...process.env, ...childEnv };
    const failed = await run(process.execPath, [path.join("dist", "queues.mjs"), "--failed", "--json"], { env });
    const rows = JSON.parse(failed.stdout) as { queue: string; id: string; reason: string; attempts: number }[];
    expect(rows).toEqual([expect.objectContaining({ queue: "rotate-deks", id: bad.id, attempts: 1 })]);
    expect(rows[0]!.reason).toMatch(/invalid rotate-deks payload/);
    const depth = await run(process.execPath, [path.join("dist", "queues.mjs")], { env });
    expect(depth.stdout).toMatch(/rotate-deks\s+0\s+0\s+1\s+0\s+\d+\s+1\s+rotate-deks-weekly@/);
    const help = await run(process.execPath, [path.join("dist", "queues.mjs"), "--help"], { env });
    expect(help.stdout).toContain("usage: npm run queues");
  });
});
