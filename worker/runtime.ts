/**
 * Runs the processors: one BullMQ Worker per queue, the queues' job schedulers upserted (so
 * every start converges on exactly the declared schedules), and a shutdown that lets running
 * jobs finish — or, past the timeout, releases them to be picked up by another worker.
 */
import { hostname } from "node:os";
import { Worker } from "bullmq";
import { env } from "../server/env";
import { log } from "../server/infra/log";
import { queueConnection, queueFor, queuePrefix } from "../server/infra/queue";
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
      await queueFor(queue).upsertJobScheduler(
        s.id,
        { pattern: s.pattern, tz: s.tz },
        { name: queue.name, data: queue.payload.parse(s.data), opts: queue.jobOptions },
      );
      log.info("job scheduler registered", { queue: queue.name, scheduler: s.id, pattern: s.pattern, tz: s.tz });
    }
  }
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
