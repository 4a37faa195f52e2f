/**
 * Runs the processors: one BullMQ Worker per queue, the queues' job schedulers upserted (so
 * every start converges on exactly the declared schedules) and kept registered while the worker
 * runs (see server/infra/queue/schedulers.ts), and a shutdown that lets running jobs finish — or,
 * past the timeout, releases them to be picked up by another worker.
 */
import { hostname } from "node:os";
import { Worker } from "bullmq";
import type { Redis } from "ioredis";
import { env } from "../server/env";
import { log } from "../server/infra/log";
import { describeRepeat, missingSchedulers, queueConnection, queuePrefix, upsertScheduler, type SchedulerRef } from "../server/infra/queue";
import type { Processor } from "./processors/define";

export interface RunningWorkers {
  workers: Worker[];
  /** True while every worker is connected and running. */
  healthy(): boolean;
  close(timeoutMs: number): Promise<"finished" | "released">;
}

export async function registerSchedulers(processors: Processor[]): Promise<void> {
  for (const { queue } of processors) {
    for (const s of queue.schedulers) {
      await upsertScheduler(queue, s);
      log.info("job scheduler registered", { queue: queue.name, scheduler: s.id, ...describeRepeat(s) });
    }
  }
}

/** Registers again the declared schedulers Redis lost; returns what was missing. */
export async function restoreMissingSchedulers(processors: Processor[]): Promise<SchedulerRef[]> {
  const queues = processors.map((p) => p.queue);
  const missing = await missingSchedulers(queues);
  for (const ref of missing) {
    const queue = queues.find((q) => q.name === ref.queue)!;
    await upsertScheduler(queue, queue.schedulers.find((s) => s.id === ref.scheduler)!);
    log.warn("job scheduler was missing from redis; registered again", { queue: ref.queue, scheduler: ref.scheduler });
  }
  return missing;
}

/**
 * Keeps the schedulers registered: checks after every Redis reconnect (`connection` is the
 * worker's own connection; its "ready" fires on each) and every SCHEDULER_CHECK_INTERVAL_MS (a
 * FLUSHALL or an eviction does not drop the connection). One check at a time.
 */
export function keepSchedulers(processors: Processor[], connection?: Redis): { stop(): void } {
  let checking = false;
  const check = async (why: string) => {
    if (checking || (connection && connection.status !== "ready")) return;
    checking = true;
    try {
      const restored = await restoreMissingSchedulers(processors);
      if (restored.length) log.warn("job schedulers restored", { after: why, schedulers: restored.map((r) => r.scheduler) });
    } catch (error) {
      log.warn("could not check job schedulers", { after: why, error: error instanceof Error ? error.message : String(error) });
    } finally {
      checking = false;
    }
  };
  const onReady = () => void check("redis reconnect");
  connection?.on("ready", onReady);
  const timer = setInterval(() => void check("periodic check"), env().SCHEDULER_CHECK_INTERVAL_MS);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      connection?.off("ready", onReady);
    },
  };
}

export function startWorkers(processors: Processor[]): RunningWorkers {
  const e = env();
  const name = `${hostname()}:${process.pid}`;
  const workers = processors.map(({ queue, process }) => {
    const worker = new Worker(queue.name, (job) => process(job), {
      connection: queueConnection(),
      prefix: queuePrefix(),
      name,
      concurrency: queue.worker.concurrency,
      lockDuration: e.WORKER_LOCK_DURATION_MS || queue.worker.lockDuration,
      stalledInterval: e.WORKER_STALLED_INTERVAL_MS,
    });
    worker.on("active", (job) => log.info("job started", { queue: queue.name, job_id: job.id, attempt: job.attemptsMade + 1 }));
    worker.on("completed", (job) => log.info("job completed", { queue: queue.name, job_id: job.id, result: job.returnvalue }));
    worker.on("failed", (job, error) =>
      log.warn("job failed", { queue: queue.name, job_id: job?.id, attempt: job?.attemptsMade, error: error.message }),
    );
    worker.on("stalled", (jobId) => log.warn("job stalled; retrying", { queue: queue.name, job_id: jobId }));
    worker.on("error", (error) => log.warn("worker error", { queue: queue.name, error: error.message }));
    return worker;
  });
  return {
    workers,
    healthy: () => workers.every((w) => w.isRunning()),
    async close(timeoutMs) {
      const graceful = Promise.all(workers.map((w) => w.close())).then(() => "finished" as const);
      const timeout = new Promise<"released">((resolve) => setTimeout(() => resolve("released"), timeoutMs).unref());
      const outcome = await Promise.race([graceful, timeout]);
      // Force-closing leaves the job's lock to expire, after which another worker retries it.
      if (outcome === "released") await Promise.all(workers.map((w) => w.close(true)));
      return outcome;
    },
  };
}
