/** Starts the built worker (dist/worker.mjs) as a child process, as production runs it. */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { freePort, waitForHttp } from "./net";
import { dropRedisKeys } from "./redis-keys";

export interface WorkerProcess {
  child: ChildProcess;
  healthUrl: string;
  output(): string;
  exited: Promise<number | null>;
}

export async function spawnWorker(env: Record<string, string>, options: { waitReady?: boolean } = {}): Promise<WorkerProcess> {
  const port = await freePort();
  let output = "";
  const child = spawn(process.execPath, [path.join("dist", "worker.mjs")], {
    env: { ...process.env, LOG_LEVEL: "info", ...env, WORKER_HEALTH_PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const healthUrl = `http://127.0.0.1:${port}/healthz`;
  if (options.waitReady !== false) await waitForHttp(healthUrl, 20_000);
  return { child, healthUrl, output: () => output, exited };
}

/** Deletes every Redis key under a queue prefix (tests use a fresh prefix each). */
/** Deletes a run's queues, including the `<prefix>-…` variants single tests create. */
export function dropQueuePrefix(redisUrl: string, prefix: string): Promise<void> {
  return dropRedisKeys(redisUrl, prefix);
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await fn();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
