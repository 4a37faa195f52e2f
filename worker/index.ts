/**
 * The sidecar worker process. Same server/ code as the web app; no HTTP besides /healthz.
 * Queues and their processors are registered in worker/processors (added by the vault and
 * connector work); this entry owns start-up, health and graceful shutdown.
 */
import { createServer, type Server } from "node:http";
import { Redis } from "ioredis";
import { assertEnvOrExit } from "../server/env";
import { log } from "../server/infra/log";
import { startConnectorWorkers } from "./processors/connectors";

async function main(): Promise<void> {
  const env = assertEnvOrExit();
  // BullMQ needs maxRetriesPerRequest: null on its connections; the same settings serve here.
  const connection = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null, connectTimeout: 5000 });
  connection.on("error", (error) => log.warn("worker redis error", { error: error.message }));
  await connection.ping();
  log.info("worker connected to redis");

  const health: Server = createServer((req, res) => {
    if (req.url !== "/healthz") {
      res.writeHead(404, { "content-type": "application/json" }).end('{"detail":"Not found."}');
      return;
    }
    const ok = connection.status === "ready";
    res.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
    res.end(JSON.stringify({ status: ok ? "ok" : "error", redis: ok ? "ok" : "error" }));
  });
  const connectors = await startConnectorWorkers(`worker-${process.pid}`);
  await new Promise<void>((resolve) => health.listen(env.WORKER_HEALTH_PORT, "0.0.0.0", resolve));
  log.info("worker ready", { health_port: env.WORKER_HEALTH_PORT });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("worker stopping", { signal });
    await new Promise<void>((resolve) => health.close(() => resolve()));
    await connectors.close();
    await connection.quit().catch(() => connection.disconnect());
    log.info("worker stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((error: unknown) => {
  log.error("worker failed to start", { error });
  process.exit(1);
});
