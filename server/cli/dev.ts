/**
 * `npm run dev`: the app in development on embedded PGlite (unless DATABASE_URL is set), with
 * the worker beside it (on PGlite, inside the web process). Redis comes from REDIS_URL; when nothing answers there and a local
 * `redis-server` binary exists, one is started for the session, otherwise we say what to install.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { Redis } from "ioredis";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1000, retryStrategy: () => null });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function ensureRedis(children: ChildProcess[]): Promise<void> {
  if (await redisAnswers(REDIS_URL)) return;
  const { hostname, port } = new URL(REDIS_URL);
  const local = ["127.0.0.1", "localhost", "::1", "[::1]"].includes(hostname);
  const hasBinary = spawnSync("sh", ["-c", "command -v redis-server"]).status === 0;
  if (!local || !hasBinary) {
    console.error(
      `Redis is not answering at ${REDIS_URL}.\n` +
        (local
          ? "Install it and run this again: `sudo apt-get install redis-server` (Debian/Ubuntu), `brew install redis` (macOS),\n" +
            "or `docker run -p 6379:6379 redis:7`. Or point REDIS_URL at a Redis you have."
          : "Start that Redis, or point REDIS_URL at one that runs."),
    );
    process.exit(1);
  }
  console.log(`starting redis-server on port ${port || 6379} for this session (nothing is persisted)`);
  children.push(
    spawn("redis-server", ["--port", port || "6379", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" }),
  );
  for (let i = 0; i < 50 && !(await redisAnswers(REDIS_URL)); i++) await new Promise((r) => setTimeout(r, 100));
}

const children: ChildProcess[] = [];
await ensureRedis(children);
// The API route table (app/api/route-table.ts) follows the app/api tree, as `npm run build` keeps it.
spawnSync(process.execPath, ["server/cli/api-routes.mjs"], { stdio: "inherit" });

const env = {
  ...process.env,
  NODE_ENV: "development" as const,
  NEXT_TELEMETRY_DISABLED: "1",
  ALLOW_DEFAULT_ADMIN: process.env.ALLOW_DEFAULT_ADMIN ?? "true",
};
const web = spawn(process.execPath, ["node_modules/next/dist/bin/next", "dev", "-p", process.env.PORT ?? "3000"], { env, stdio: "inherit" });
children.push(web);
if (process.env.DATABASE_URL) {
  const worker = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "--conditions=react-server", "worker/index.ts"], {
    env: { ...env, LOG_LEVEL: process.env.LOG_LEVEL ?? "info" },
    stdio: "inherit",
  });
  children.push(worker);
} else {
  // PGlite cannot be shared between processes: the web process runs the jobs (worker/embedded.ts).
  console.log(`DATABASE_URL is unset: using the embedded PGlite database in ${process.env.PGLITE_DATA_DIR ?? ".data/pglite"}; jobs run inside the web process`);
}

const shutdown = () => {
  for (const child of children) child.kill("SIGTERM");
};
process.on("SIGINT", shutdown);
process.on("SIGTERM", shutdown);
web.on("exit", (code) => {
  shutdown();
  process.exit(code ?? 0);
});
