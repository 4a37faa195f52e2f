/** Extra app processes (the production build) for the global setup and for tests that need their own environment. */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import path from "node:path";
import { freePort, waitForHttp } from "./net";

export interface AppProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** `next start` of the production build on `env.PORT`, output to `logFile`; does not wait for it. */
export function spawnApp(env: Record<string, string>, logFile: string): AppProcess {
  const logStream = createWriteStream(logFile, { flags: "w" });
  const child = spawn(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "start", "-p", env.PORT!, "-H", "127.0.0.1"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.pipe(logStream);
  child.stderr?.pipe(logStream);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    url: `http://127.0.0.1:${env.PORT}`,
    child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      logStream.end();
    },
  };
}

/** An app on a free port with `env` (the test env plus overrides), ready when it returns. */
export async function startApp(env: Record<string, string>, logFile: string): Promise<AppProcess> {
  const port = String(await freePort());
  const app = spawnApp({ ...env, PORT: port, FRONTEND_BASE_URL: `http://127.0.0.1:${port}` }, logFile);
  await waitForHttp(`${app.url}/api/health/`, 60_000);
  return app;
}
