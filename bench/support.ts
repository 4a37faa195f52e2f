/**
 * Shared bench plumbing: a fresh Postgres database migrated by the real code, the production
 * build started against it as the non-owner app role, and a table printer.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { migratePostgres } from "../server/db/migrate";
import { createTestDatabase, dropTestDatabase, ensureAppLoginRole } from "../e2e/support/postgres";
import { freePort, waitForHttp } from "../e2e/support/net";

export interface BenchServer {
  baseUrl: string;
  ownerUrl: string;
  stop(): Promise<void>;
}

export async function startBenchServer(extraEnv: Record<string, string> = {}): Promise<BenchServer> {
  if (!existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) throw new Error("run `npm run build` first");
  const dbName = `adinsights_bench_${process.pid}_${Date.now()}`;
  const { ownerUrl, appUrl } = await createTestDatabase(dbName);
  await migratePostgres(ownerUrl);
  await ensureAppLoginRole(ownerUrl);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join("node_modules", "next", "dist", "bin", "next"), "start", "-p", String(port), "-H", "127.0.0.1"],
    {
      env: {
        ...process.env,
        NODE_ENV: "production",
        DATABASE_URL: appUrl,
        SECRET_KEY: "bench-signing-key-0123456789abcdefghijklmnop",
        NEXT_TELEMETRY_DISABLED: "1",
        // Request logs go to /dev/null in benches; the log call itself still runs.
        LOG_LEVEL: "warn",
        // Benches measure handlers, not the limiter (bench/ratelimit.ts measures that).
        DRF_THROTTLE_AUTH_BURST: "100000000/min",
        DRF_THROTTLE_AUTH_SUSTAINED: "100000000/day",
        DRF_THROTTLE_PUBLIC: "100000000/min",
        ...extraEnv,
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  await waitForHttp(`${baseUrl}/api/health/`, 60_000);
  return {
    baseUrl,
    ownerUrl,
    stop: async () => {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
      await dropTestDatabase(dbName);
    },
  };
}

export function printTable(title: string, rows: Record<string, string | number>[]): void {
  if (rows.length === 0) return;
  const headers = Object.keys(rows[0]!);
  const cells = rows.map((r) => headers.map((h) => String(r[h] ?? "")));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(`\n${title}\n`);
  console.log(line(headers));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const c of cells) console.log(line(c));
  console.log();
}
