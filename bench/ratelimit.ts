/**
 * Overhead of the rate limiter on a throttled endpoint: POST /api/token/ with an empty body (the
 * throttle runs, then validation answers 400 without touching the database).
 *
 * HTTP: three production servers side by side — limiter off (RATE_LIMITS_ENABLED=false), on with
 * Redis (limits so high nothing is refused), on with Redis unreachable (in-memory fallback) —
 * measured in interleaved rounds so machine load drifts hit all three alike; the table shows the
 * median of the rounds. In-process: the limiter call alone (both auth policies) against Redis.
 *
 *   npm run build && npm run bench -- ratelimit    (BENCH_SECONDS per round, BENCH_ROUNDS, BENCH_CONNECTIONS)
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import autocannon from "autocannon";
import { startAppServer, type AppServer } from "../e2e/support/app-server";
import { freePort } from "../e2e/support/net";
import { startFakeKms } from "../e2e/fakes/kms";
import { dropRedisKeys } from "../e2e/support/redis-keys";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const dropKeys = (prefix: string) => dropRedisKeys(REDIS_URL, `${prefix}:`);

export interface RateLimitBenchRow {
  variant: string;
  p50: number;
  p99: number;
  rps: number;
  /** Answers other than the expected 400 (a 429 would mean the limits were not high enough). */
  unexpected: number;
}

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const HUGE = { DRF_THROTTLE_AUTH_BURST: "1000000000/min", DRF_THROTTLE_AUTH_SUSTAINED: "1000000000/day" };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;

function measure(url: string, duration: number) {
  return autocannon({
    url: `${url}/api/token/`,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
    connections: CONNECTIONS,
    duration,
  });
}

export async function benchRateLimitHttp(): Promise<RateLimitBenchRow[]> {
  if (!existsSync(path.join(".next", "BUILD_ID")) || !existsSync(path.join("dist", "serve.mjs")))
    throw new Error("No production build: run `npm run build` first.");
  const dataDir = mkdtempSync(path.join(tmpdir(), "adinsights-bench-"));
  // In production the vault needs AWS KMS (here its fake), even where nothing is encrypted.
  const kms = await startFakeKms();
  const prefix = `adinsights-bench-${process.pid}-${Date.now()}`;
  const base: Record<string, string> = {
    NODE_ENV: "production",
    SECRET_KEY: "benchmark-signing-key-0123456789abcdefghij",
    LOG_LEVEL: "warn",
    ...kms.env(),
    // On PGlite the web process also runs the worker's queues: keep them apart from other runs.
    REDIS_KEY_PREFIX: prefix,
    QUEUE_PREFIX: prefix,
    NEXT_TELEMETRY_DISABLED: "1",
    ...HUGE,
  };
  if (process.env.DATABASE_URL) base.DATABASE_URL = process.env.DATABASE_URL;
  const variants: [string, Record<string, string>][] = [
    ["limiter off", { RATE_LIMITS_ENABLED: "false" }],
    ["limiter on (Redis)", { RATE_LIMITS_ENABLED: "true" }],
    ["limiter on (Redis down → memory)", { RATE_LIMITS_ENABLED: "true", REDIS_URL: `redis://127.0.0.1:${await freePort()}` }],
  ];
  const servers: AppServer[] = [];
  try {
    // One embedded database each (PGlite allows one process per directory).
    for (const [i, [, vars]] of variants.entries())
      servers.push(await startAppServer({ ...base, PGLITE_DATA_DIR: path.join(dataDir, `db${i}`), ...vars }));
    for (const server of servers) await measure(server.baseUrl, 2); // warm-up: JIT, pools, script cache
    const samples = variants.map(() => ({ p50: [] as number[], p99: [] as number[], rps: [] as number[], unexpected: 0 }));
    for (let round = 0; round < ROUNDS; round++)
      for (const [i, server] of servers.entries()) {
        const r = await measure(server.baseUrl, SECONDS);
        samples[i]!.p50.push(r.latency.p50);
        samples[i]!.p99.push(r.latency.p99);
        samples[i]!.rps.push(r.requests.average);
        samples[i]!.unexpected += r.non2xx - (r.statusCodeStats?.["400"]?.count ?? 0) + r.errors;
      }
    return variants.map(([variant], i) => ({
      variant,
      p50: median(samples[i]!.p50),
      p99: median(samples[i]!.p99),
      rps: Math.round(median(samples[i]!.rps)),
      unexpected: samples[i]!.unexpected,
    }));
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await kms.close();
    rmSync(dataDir, { recursive: true, force: true });
    await dropKeys(prefix);
  }
}

/** The limiter call alone (both auth policies, as a throttled request makes it), in this process. */
export async function benchRateLimitCall(calls = 5000): Promise<{ p50: number; p99: number }> {
  const prefix = `adinsights-bench-call-${process.pid}-${Date.now()}`;
  Object.assign(process.env, { REDIS_KEY_PREFIX: prefix, ...HUGE });
  const { throttle } = await import("../server/edge/rate-limit/throttle");
  const { closeRedis } = await import("../server/infra/redis");
  for (let i = 0; i < 200; i++) await throttle("auth", "192.0.2.1"); // warm-up
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    await throttle("auth", `192.0.2.${i % 250}`);
    times.push(performance.now() - start);
  }
  await closeRedis();
  await dropKeys(prefix);
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

export function formatRateLimitTables(rows: RateLimitBenchRow[], call: { p50: number; p99: number }): string {
  const off = rows[0]!;
  return [
    `POST /api/token/ (throttled; 400 after the limiter): ${CONNECTIONS} connections, median of ${ROUNDS} interleaved ${SECONDS}s rounds`,
    "| variant | p50 ms | p99 ms | req/s | Δp50 ms | Δp99 ms | unexpected answers |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.variant} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.rps} | ${(r.p50 - off.p50).toFixed(1)} | ${(r.p99 - off.p99).toFixed(1)} | ${r.unexpected} |`,
    ),
    "",
    "Limiter call alone (burst + sustained, Redis via ioredis), sequential, in-process",
    "| p50 ms | p99 ms |",
    "|---:|---:|",
    `| ${call.p50.toFixed(3)} | ${call.p99.toFixed(3)} |`,
  ].join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const rows = await benchRateLimitHttp();
  const call = await benchRateLimitCall();
  console.log(formatRateLimitTables(rows, call));
}
