/**
 * Runs a short ES module in a child Node process (TypeScript through tsx, from the project root)
 * and returns its JSON log lines: the logger writes asynchronously to the process's own stdout
 * and stderr, so what a module logs is read the way an operator would, from the process.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..", "..");

export type LogLine = Record<string, unknown> & { msg?: string; level?: string };

export function runLogging(script: string, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "--input-type=module", "-e", script], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", NODE_ENV: "test", LOG_LEVEL: "info", ...env },
    encoding: "utf8",
    timeout: 20_000,
  });
  const lines = (text: string) =>
    text
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as LogLine);
  return { status: result.status, out: lines(result.stdout), err: lines(result.stderr), raw: result.stdout + result.stderr };
}
