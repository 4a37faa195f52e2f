/**
 * The worker inside the web process, for the embedded PGlite database (no DATABASE_URL). PGlite
 * lives in the process that opened it and no other process can share it, so the sidecar worker
 * cannot run jobs; the web process runs the same processors instead (started by instrumentation.ts).
 * With a real Postgres the sidecar (`npm run worker`) does this and the web process runs none.
 */
import { env } from "../server/env";
import { log } from "../server/infra/log";
import { onShutdown } from "../server/infra/shutdown";
import { flushDecryptAudits } from "../server/services/vault";
import { PROCESSORS } from "./processors";
import { keepSchedulers, registerSchedulers, startWorkers, type RunningWorkers } from "./runtime";

const holder = globalThis as unknown as { __adinsightsEmbeddedWorker?: RunningWorkers };

export async function startEmbeddedWorker(): Promise<void> {
  // Once per process (Next's dev server may evaluate this module again).
  if (holder.__adinsightsEmbeddedWorker) return;
  holder.__adinsightsEmbeddedWorker = startWorkers(PROCESSORS);
  const running = holder.__adinsightsEmbeddedWorker;
  const schedulers = keepSchedulers(PROCESSORS);
  onShutdown(async () => {
    schedulers.stop();
    await running.close(env().WORKER_SHUTDOWN_TIMEOUT_MS);
    await flushDecryptAudits();
  });
  log.info("embedded worker running (PGlite database)", { queues: PROCESSORS.map((p) => p.queue.name) });
  // Waits for Redis; the web app serves meanwhile (its rate limiter has its own fallback).
  await registerSchedulers(PROCESSORS);
}
