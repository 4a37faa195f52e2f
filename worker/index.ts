/**
 * The sidecar worker process. Same server/ code as the web app; no HTTP besides /healthz.
 * Queues are defined in server/infra/queue and processed by worker/processors; this entry owns
 * start-up, health and graceful shutdown.
 */
import { createServer, type Server } from "node:http";
import { Redis } from "ioredis";
import { closeDatabase } from "../server/db/client";
import { assertEnvOrExit } from "../server/env";
import { assertVaultReadyOrExit } from "../server/startup";
import { log } from "../server/infra/log";
import { logUncaughtErrors } from "../server/infra/process-errors";
import { closeQueues, missingSchedulers } from "../server/infra/queue";
import { withTimeout } from "../server/services/deadline";
import { flushDecryptAudits } from "../server/services/vault";
import { PROCESSORS } from "./processors";
import { keepSchedulers, registerSchedulers, startWorkers } from "./runtime";

async function main(): Promise<void> {
  const env = assertEnvOrExit();
  assertVaultReadyOrExit(env);
  // BullMQ needs maxRetriesPerRequest: null on its connections; the same settings serve here.
  const connection = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null, connectTimeout: 5000 });
  connection.on("error", (error) => log.warn("worker redis error", { error: error.message }));
  await connection.ping();
  log.info("worker connected to redis", { queue_prefix: env.QUEUE_PREFIX });

  await registerSchedulers(PROCESSORS);
  const schedulers = keepSchedulers(PROCESSORS, connection);
  // Every job works on the database. The embedded PGlite database belongs to the web process (it
  // cannot be opened by two processes), which then runs the jobs itself (worker/embedded.ts).
  const processors = env.DATABASE_URL ? PROCESSORS : [];
  if (!env.DATABASE_URL) log.warn("DATABASE_URL is unset: jobs run inside the web process (embedded PGlite); this worker processes none");
  const running = startWorkers(processors);

  /** Every declared scheduler present in Redis ("unknown" while Redis does not answer). */
  const schedulerHealth = async (): Promise<{ state: "ok" | "missing" | "unknown"; missing: string[] }> => {
    if (connection.status !== "ready") return { state: "unknown", missing: [] };
    try {
      const missing = await withTimeout(missingSchedulers(PROCESSORS.map((p) => p.queue)), 1000);
      return { state: missing.length ? "missing" : "ok", missing: missing.map((m) => m.scheduler) };
    } catch {
      return { state: "unknown", missing: [] };
    }
  };
  const health: Server = createServer(async (req, res) => {
    if (req.url !== "/healthz") {
      res.writeHead(404, { "content-type": "application/json" }).end('{"detail":"Not found."}');
      return;
    }
    const redisOk = connection.status === "ready";
    const workersOk = running.healthy();
    const scheduled = await schedulerHealth();
    const ok = redisOk && workersOk && scheduled.state === "ok";
    res.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        status: ok ? "ok" : "error",
        redis: redisOk ? "ok" : "error",
        workers: workersOk ? "ok" : "error",
        schedulers: scheduled.state,
        ...(scheduled.missing.length ? { missing_schedulers: scheduled.missing } : {}),
        queues: processors.map((p) => p.queue.name),
      }),
    );
  });
  await new Promise<void>((resolve) => health.listen(env.WORKER_HEALTH_PORT, "0.0.0.0", resolve));
  log.info("worker ready", { health_port: env.WORKER_HEALTH_PORT, queues: processors.map((p) => p.queue.name) });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("worker stopping", { signal });
    schedulers.stop();
    // Running jobs finish (or, past the timeout, are released for another worker to retry).
    const jobs = await running.close(env.WORKER_SHUTDOWN_TIMEOUT_MS);
    await new Promise<void>((resolve) => health.close(() => resolve()));
    await flushDecryptAudits();
    await closeQueues();
    await closeDatabase().catch(() => {});
    await connection.quit().catch(() => connection.disconnect());
    log.info("worker stopped", { jobs });
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

logUncaughtErrors("worker");
main().catch((error: unknown) => {
  log.error("worker failed to start", { error });
  process.exit(1);
});
