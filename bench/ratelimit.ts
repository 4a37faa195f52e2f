/**
 * Overhead of the rate limiter on a throttled endpoint (POST /api/token/ with an empty body: the
 * throttle runs, then validation answers 400 without touching the database).
 *
 * Three production servers, one at a time: limiter off (RATE_LIMITS_ENABLED=false), on with
 * Redis (limits so high nothing is refused), and on with Redis unreachable (in-memory fallback).
 *
 *   npm run build && npx tsx bench/ratelimit.ts        (BENCH_SECONDS, BENCH_CONNECTIONS to tune)
 */
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import autocannon from "autocannon";
import { startAppServer } from "../e2e/support/app-server";
import { freePort } from "../e2e/support/net";

export interface RateLimitBenchRow {
  variant: string;
  p50: number;
  p99: number;
  rps: number;
  non2xx4xx: number;
}

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);

async function measure(url: string, duration: number) {
  const result = await autocannon({
    url: `${url}/api/token/`,
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
    connections: CONNECTIONS,
    duration,
  });
  return result;
}

export async function benchRateLimit(): Promise<RateLimitBenchRow[]> {
  if (!existsSync(path.join(".next", "BUILD_ID")) || !existsSync(path.join("dist", "serve.mjs")))
    throw new Error("No production build: run `npm run build` first.");
  const dataDir = mkdtempSync(path.join(tmpdir(), "adinsights-bench-"));
  const base: Record<string, string> = {
    NODE_ENV: "production",
    SECRET_KEY: "benchmark-signing-key-0123456789abcdefghij",
    PGLITE_DATA_DIR: path.join(dataDir, "pglite"),
    LOG_LEVEL: "warn",
    REDIS_KEY_PREFIX: `adinsights-bench-${process.pid}-${Date.now()}`,
    DRF_THROTTLE_AUTH_BURST: "1000000000/min",
    DRF_THROTTLE_AUTH_SUSTAINED: "1000000000/day",
    NEXT_TELEMETRY_DISABLED: "1",
  };
  if (process.env.DATABASE_URL) base.DATABASE_URL = process.env.DATABASE_URL;
  const variants: [string, Record<string, string>][] = [
    ["limiter off", { RATE_LIMITS_ENABLED: "false" }],
    ["limiter on (Redis)", { RATE_LIMITS_ENABLED: "true" }],
    ["limiter on (Redis down → memory)", { RATE_LIMITS_ENABLED: "true", REDIS_URL: `redis://127.0.0.1:${await freePort()}` }],
  ];
  const rows: RateLimitBenchRow[] = [];
  try {
    for (const [variant, vars] of variants) {
      const server = await startAppServer({ ...base, ...vars });
      try {
        await measure(server.baseUrl, 2); // warm-up: JIT, connection pools, script cache
        const r = await measure(server.baseUrl, SECONDS);
        const unexpected = r.non2xx - (r.statusCodeStats?.["400"]?.count ?? 0);
        rows.push({ variant, p50: r.latency.p50, p99: r.latency.p99, rps: Math.round(r.requests.average), non2xx4xx: unexpected });
      } finally {
        await server.stop();
      }
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}

export function formatRateLimitTable(rows: RateLimitBenchRow[]): string {
  const off = rows[0]!;
  const lines = [
    `POST /api/token/ (throttled; 400 after the limiter), ${CONNECTIONS} connections, ${SECONDS}s each`,
    "| variant | p50 ms | p99 ms | req/s | Δp50 ms | Δp99 ms | other than 400 |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...rows.map(
      (r) =>
        `| ${r.variant} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.rps} | ${(r.p50 - off.p50).toFixed(1)} | ${(r.p99 - off.p99).toFixed(1)} | ${r.non2xx4xx} |`,
    ),
  ];
  return lines.join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  console.log(formatRateLimitTable(await benchRateLimit()));
}
