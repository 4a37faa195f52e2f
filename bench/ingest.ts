/**
 * Ingest benchmark: `ingest-sample-metrics` on a generated file (default 1,000,000 rows) next to
 * the floor — a raw COPY of the same file into an unindexed table of the same database — with
 * the ingest process's peak memory (VmHWM). The ingest runs as it does in production: the bundled
 * CLI (`node dist/ingest-sample-metrics.mjs`) connected as the non-owner app role.
 *
 *   npm run bench -- ingest [--rows 1000000] [--keep-db]
 */
import { spawn, spawnSync } from "node:child_process";
import { createReadStream, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { dropTestDatabase, migratedTestDatabase } from "../e2e/support/postgres";
import { writeIngestCsv } from "./generate-ingest-csv";

const { values } = parseArgs({ options: { rows: { type: "string", default: "1000000" }, "keep-db": { type: "boolean" } } });
const rows = Number(values.rows);
const file = path.join("bench", "results", `ingest-${rows}.csv`);
// A file a tenth the size: equal peak memory shows the ingest streams.
const smallRows = Math.max(1, Math.floor(rows / 10));
const smallFile = path.join("bench", "results", `ingest-${smallRows}.csv`);

interface Result {
  step: string;
  rows: number;
  seconds: number;
  peakRssMb?: number;
  note?: string;
}

/** Wall time and peak RSS of a child process (VmHWM, sampled until it exits). */
function runMeasured(args: string[], env: Record<string, string>): Promise<{ seconds: number; peakKb: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    let peakKb = 0;
    child.stdout.on("data", (d) => (stdout += d));
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        /* exited between samples */
      }
    };
    const timer = setInterval(sample, 20);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearInterval(timer);
      if (code !== 0) reject(new Error(`${args.join(" ")} exited with ${code}`));
      else resolve({ seconds: (performance.now() - started) / 1000, peakKb, stdout });
    });
  });
}

async function rawCopyFloor(ownerUrl: string, table: string): Promise<number> {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`create table ${table} (date date, source text, external_id text, campaign_external_id text,
      campaign_name text, adset_external_id text, adset_name text, ad_external_id text, ad_name text,
      impressions bigint, clicks bigint, spend numeric, currency text, conversions numeric)`);
    const started = performance.now();
    const writable = await sql.unsafe(`copy ${table} from stdin (format csv, header true)`).writable();
    await pipeline(createReadStream(file), writable);
    return (performance.now() - started) / 1000;
  } finally {
    await sql.end();
  }
}

for (const [f, n] of [[file, rows], [smallFile, smallRows]] as const) {
  if (existsSync(f)) continue;
  console.log(`generating ${f} …`);
  await writeIngestCsv(f, n);
}
const build = spawnSync(process.execPath, ["server/cli/build-worker.mjs"], { stdio: "inherit" });
if (build.status !== 0) throw new Error("building the CLI failed");

const dbName = `adinsights_bench_ingest_${process.pid}`;
const { ownerUrl, appUrl } = await migratedTestDatabase(dbName);
const results: Result[] = [];
try {
  const [tenantId, smallTenantId] = [crypto.randomUUID(), crypto.randomUUID()];
  const owner = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  for (const id of [tenantId, smallTenantId])
    await owner.begin(async (tx) => {
      await tx`select set_config('app.tenant_id', ${id}, true)`;
      await tx`insert into tenants (id, name) values (${id}, 'Bench Tenant')`;
    });
  await owner.end();

  const floor = await rawCopyFloor(ownerUrl, "ingest_floor_1");
  results.push({ step: "floor: raw COPY into an unindexed table", rows, seconds: floor });

  const env = { DATABASE_URL: appUrl, NODE_ENV: "development", LOG_LEVEL: "warn" };
  const cli = ["dist/ingest-sample-metrics.mjs", "--file", file, "--tenant-id", tenantId];
  const first = await runMeasured(cli, env);
  results.push({ step: "ingest-sample-metrics (all created)", rows, seconds: first.seconds, peakRssMb: first.peakKb / 1024, note: first.stdout.trim().split("\n").pop() });
  const again = await runMeasured(cli, env);
  results.push({ step: "again, same file (all updated, values unchanged)", rows, seconds: again.seconds, peakRssMb: again.peakKb / 1024, note: again.stdout.trim().split("\n").pop() });

  const small = await runMeasured(["dist/ingest-sample-metrics.mjs", "--file", smallFile, "--tenant-id", smallTenantId], env);
  results.push({ step: `ingest of a ${smallRows.toLocaleString("en-US")}-row file (memory baseline)`, rows: smallRows, seconds: small.seconds, peakRssMb: small.peakKb / 1024, note: small.stdout.trim().split("\n").pop() });

  const floor2 = await rawCopyFloor(ownerUrl, "ingest_floor_2");
  results.push({ step: "floor again (noise check)", rows, seconds: floor2 });
} finally {
  if (!values["keep-db"]) await dropTestDatabase(dbName);
}

const floorRate = rows / Math.min(...results.filter((r) => r.step.startsWith("floor")).map((r) => r.seconds));
const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);
console.log(`\ningest benchmark — ${rows.toLocaleString("en-US")} rows, ${(Number(spawnSync("stat", ["-c", "%s", file]).stdout.toString()) / 1e6).toFixed(0)} MB CSV`);
console.log(`| ${pad("step", 50)} | ${lpad("rows", 9)} | ${lpad("seconds", 8)} | ${lpad("rows/s", 9)} | ${lpad("vs floor", 8)} | ${lpad("peak RSS", 9)} |`);
console.log(`|${"-".repeat(52)}|${"-".repeat(11)}|${"-".repeat(10)}|${"-".repeat(11)}|${"-".repeat(10)}|${"-".repeat(11)}|`);
for (const r of results) {
  const rate = r.rows / r.seconds;
  console.log(
    `| ${pad(r.step, 50)} | ${lpad(r.rows.toLocaleString("en-US"), 9)} | ${lpad(r.seconds.toFixed(2), 8)} | ${lpad(Math.round(rate).toLocaleString("en-US"), 9)} | ${lpad((rate / floorRate).toFixed(2) + "×", 8)} | ${lpad(r.peakRssMb ? `${r.peakRssMb.toFixed(0)} MB` : "", 9)} |`,
  );
}
for (const r of results) if (r.note) console.log(`  ${r.step}: ${r.note}`);
console.log(`load average during the run: ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`);
