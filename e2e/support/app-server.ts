/**
 * Starts the production build the way production runs it (`npm start` = `node dist/serve.mjs`).
 * The global setup starts the shared server with it; tests that need other settings (low rate
 * limits, an unreachable Redis) start their own instance beside it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import path from "node:path";
import { freePort, waitForHttp } from "./net";

export interface AppServer {
  baseUrl: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

export async function startAppServer(
  env: Record<string, string>,
  { port, logFile, ownFrontend = false }: { port?: number; logFile?: string; ownFrontend?: boolean } = {},
): Promise<AppServer> {
  port ??= await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // ownFrontend: OAuth redirect URIs and e-mail links point at this instance, not the shared one.
  const frontend = ownFrontend ? { FRONTEND_BASE_URL: baseUrl } : {};
  const server: ChildProcess = spawn(process.execPath, [path.join("dist", "serve.mjs"), "-p", String(port), "-H", "127.0.0.1"], {
    env: { ...process.env, ...env, ...frontend, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const chunks: string[] = [];
  const file = logFile ? createWriteStream(logFile, { flags: "w" }) : undefined;
  for (const stream of [server.stdout, server.stderr]) {
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      chunks.push(chunk);
      file?.write(chunk);
    });
  }
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  try {
    await Promise.race([
      waitForHttp(`${baseUrl}/api/health/`, 60_000),
      exited.then(() => Promise.reject(new Error(`server exited during start:\n${chunks.join("")}`))),
    ]);
  } catch (error) {
    server.kill("SIGTERM");
    throw error;
  }
  return {
    baseUrl,
    output: () => chunks.join(""),
    stop: async () => {
      if (server.exitCode === null) {
        server.kill("SIGTERM");
        await exited;
      }
      file?.end();
    },
  };
}
