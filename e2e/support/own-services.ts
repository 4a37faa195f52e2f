/**
 * Private Postgres and Redis servers for the fault tests, which stop, start and flush THESE —
 * never the machine's shared services. Postgres is a fresh cluster (initdb) in a temp directory on
 * a free port, migrated by the real migrate code with the app's non-owner login role; as root the
 * server programs run as the `postgres` OS user (initdb and postgres refuse to run as root).
 * Redis runs without persistence, so a restart loses its data as a failover would.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import postgres from "postgres";
import { migratePostgres } from "../../server/db/migrate";
import { freePort } from "./net";
import { APP_LOGIN_ROLE, ensureAppLoginRole } from "./postgres";

const run = promisify(execFile);

/** The newest Postgres server binaries installed (Debian layout), or TEST_PG_BINDIR. */
function postgresBinDir(): string {
  if (process.env.TEST_PG_BINDIR) return process.env.TEST_PG_BINDIR;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(path.join(root, v, "bin", "initdb"))) : [];
  if (versions.length === 0) throw new Error("no Postgres server binaries under /usr/lib/postgresql (set TEST_PG_BINDIR)");
  return path.join(root, versions.sort((a, b) => Number(b) - Number(a))[0]!, "bin");
}

const asRoot = process.getuid?.() === 0;

/** Runs a Postgres server program, as the postgres OS user when we are root. */
function pgProgram(bin: string, program: string, args: string[]) {
  const full = path.join(bin, program);
  return asRoot ? run("runuser", ["-u", "postgres", "--", full, ...args]) : run(full, args);
}

export interface OwnPostgres {
  port: number;
  /** The table owner (migrations, assertions). */
  ownerUrl: string;
  /** The app's login role: neither owner nor superuser, as in production. */
  appUrl: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startOwnPostgres(database = "adinsights"): Promise<OwnPostgres> {
  const bin = postgresBinDir();
  const root = mkdtempSync("/tmp/adinsights-pg-");
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString());
    chownSync(root, uid, gid);
  }
  const data = path.join(root, "data");
  const port = await freePort();
  await pgProgram(bin, "initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
  // The socket lives in our directory (the default one may not be writable); TCP on loopback only.
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  const start = () => pgProgram(bin, "pg_ctl", ["-D", data, "-l", path.join(root, "server.log"), "-o", options, "-w", "-t", "30", "start"]).then(() => {});
  // Fast: open sessions are terminated, as in a failover or a restart for maintenance.
  const stop = () => pgProgram(bin, "pg_ctl", ["-D", data, "-m", "fast", "-w", "-t", "30", "stop"]).then(() => {});
  await start();

  const url = (user: string, db: string) => `postgres://${user}@127.0.0.1:${port}/${db}`;
  const admin = postgres(url("postgres", "postgres"), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  const ownerUrl = url("postgres", database);
  await migratePostgres(ownerUrl);
  await ensureAppLoginRole(ownerUrl);
  return {
    port,
    ownerUrl,
    appUrl: url(APP_LOGIN_ROLE, database),
    stop,
    start,
    async destroy() {
      await pgProgram(bin, "pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => {});
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface OwnRedis {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  flushAll(): Promise<void>;
  destroy(): Promise<void>;
}

export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const dir = mkdtempSync("/tmp/adinsights-redis-");
  const url = `redis://127.0.0.1:${port}`;
  let server: ChildProcess | undefined;
  const ping = async () => {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    client.on("error", () => {});
    try {
      await client.connect();
      return (await client.ping()) === "PONG";
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  };
  const start = async () => {
    server = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir], { stdio: "ignore" });
    const deadline = Date.now() + 10_000;
    while (!(await ping())) {
      if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not start`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async () => {
    const child = server;
    server = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  };
  await start();
  return {
    url,
    start,
    stop,
    async flushAll() {
      const client = new Redis(url, { maxRetriesPerRequest: 1 });
      try {
        await client.flushall();
      } finally {
        client.disconnect();
      }
    },
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
