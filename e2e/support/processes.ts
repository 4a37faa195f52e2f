/** An extra app process for tests that need their own environment (workers: ./worker.ts). */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import path from "node:path";
import { freePort, waitForHttp } from "./net";

export interface Proc {
  url: string;
  child: ChildProcess;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

function track(child: ChildProcess, logFile: string, url: string): Proc {
  const log = createWriteStream(logFile, { flags: "a" });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    url,
    child,
    stop: async (signal = "SIGTERM") => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
      log.end();
    },
  };
}

/** `next start` of the production build with `env` (the test env plus overrides). */
export async function startApp(env: Record<string, string>, logFile: string): Promise<Proc> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    env: { ...process.env, ...env, PORT: String(port), FRONTEND_BASE_URL: `http://127.0.0.1:${port}` },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const proc = track(child, logFile, `http://127.0.0.1:${port}`);
  await waitForHttp(`${proc.url}/api/health/`, 60_000);
  return proc;
}
