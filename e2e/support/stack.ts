/**
 * The app as its tests and benches run it: a fresh Postgres database migrated by the real
 * migrate code, the non-owner login role, and the production build started against it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { freePort, waitForHttp } from "./net";
import { dropRedisKeys } from "./redis-keys";
import { dropTestDatabase, migratedTestDatabase } from "./postgres";
import { stackEnv, type ExternalFakes } from "./stack-env";

export const ARTIFACTS = path.join(process.cwd(), "e2e", "artifacts");

export interface Stack {
  baseUrl: string;
  appUrl: string;
  ownerUrl: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

export interface StackOptions {
  /** Database name prefix, e.g. "adinsights_test". */
  name: string;
  /** The fakes of external services the app should talk to (startExternalFakes). */
  externals?: ExternalFakes;
  /** Extra or overriding environment for the app (see stackEnv). */
  env?: Record<string, string>;
  /** Where the server's stdout/stderr go; "ignore" to drop them. */
  log: string | "ignore";
  /** Extra Node.js flags for the server process (e.g. --cpu-prof when profiling a bench). */
  nodeArgs?: string[];
}

/** Tests and benches run the production build (`npm run build`): fail early and say so. */
export function assertProductionBuild(): void {
  if (
    !existsSync(path.join(process.cwd(), process.env.NEXT_DIST_DIR || ".next", "BUILD_ID")) ||
    !existsSync(path.join(process.cwd(), "dist", "serve.mjs"))
  )
    throw new Error("No production build: run `npm run build` (npm test does it for you).");
}

export async function startStack(options: StackOptions): Promise<Stack> {
  assertProductionBuild();
  const dbName = `${options.name}_${process.pid}_${Date.now()}`;
  const { ownerUrl, appUrl } = await migratedTestDatabase(dbName);

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = stackEnv({
    name: options.name,
    database: { appUrl, ownerUrl },
    baseUrl,
    externals: options.externals,
    overrides: { PORT: String(port), ...options.env },
  });
  // Started as production starts it (`npm start`): see server/cli/serve.ts.
  const args = [...(options.nodeArgs ?? []), path.join("dist", "serve.mjs"), "-p", String(port), "-H", "127.0.0.1"];
  let server: ChildProcess;
  if (options.log === "ignore") {
    server = spawn(process.execPath, [...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "ignore", "inherit"],
    });
  } else {
    mkdirSync(path.dirname(options.log), { recursive: true });
    const stream = createWriteStream(options.log, { flags: "w" });
    server = spawn(process.execPath, [...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    server.stdout?.pipe(stream);
    server.stderr?.pipe(stream);
  }
  await waitForHttp(`${baseUrl}/api/health/`, 60_000);
  return {
    baseUrl,
    appUrl,
    ownerUrl,
    env,
    stop: async () => {
      if (server.exitCode === null) {
        server.kill("SIGTERM");
        await new Promise((resolve) => server.once("exit", resolve));
      }
      await dropRedisKeys(env.REDIS_URL!, env.REDIS_KEY_PREFIX!).catch(() => {});
      if (!process.env.KEEP_TEST_DB) await dropTestDatabase(dbName);
    },
  };
}
