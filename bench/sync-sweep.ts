/**
 * Sync sweep benchmark: `npm run bench -- sync-sweep [--tenants 1000] [--connections 2]`
 *
 * On a fresh Postgres database (the app's non-owner role, forced RLS) and the local Redis: N
 * tenants, each with M worker-scheduled connections that are all due, then one sweep
 * (`enqueueDueSyncs`, as the worker's `sync-sweep` job runs it): sync_jobs rows written, queue jobs
 * added, next_sync_at moved. Then a second sweep with nothing due (the cost of every idle minute).
 * No worker runs: the queued jobs are counted, then dropped with the bench's queue prefix.
 */
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { dropTestDatabase, migratedTestDatabase } from "../e2e/support/postgres";
import { dropRedisKeys } from "../e2e/support/redis-keys";
import { printTable } from "./support";

const { values } = parseArgs({ options: { tenants: { type: "string", default: "1000" }, connections: { type: "string", default: "2" } } });
const tenants = Number(values.tenants);
const perTenant = Number(values.connections);
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `adinsights-bench-sweep-${process.pid}-${Date.now()}`;
const dbName = `adinsights_bench_sweep_${process.pid}_${Date.now()}`;

const { ownerUrl, appUrl } = await migratedTestDatabase(dbName);
try {
  // Seed as the owner: tenants, one credential per provider account, its due connection.
  const owner = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  const tenantIds = (await owner<{ id: string }[]>`insert into tenants ${owner(Array.from({ length: tenants }, (_, i) => ({ name: `Sweep ${i}` })))} returning id`).map((r) => r.id);
  const accounts = tenantIds.flatMap((tenant_id) => Array.from({ length: perTenant }, (_, i) => ({ tenant_id, provider: "ga4", account_id: `prop-${i}` })));
  for (let i = 0; i < accounts.length; i += 5000) {
    const chunk = accounts.slice(i, i + 5000);
    await owner`insert into platform_credentials ${owner(chunk.map((a) => ({ ...a, access_token_enc: "enc1:1:bench:bench:bench" })))}`;
    await owner`insert into airbyte_connections ${owner(
      chunk.map((a) => ({
        ...a,
        name: `adinsights-${a.tenant_id}-ga4-${a.account_id}`,
        connection_id: crypto.randomUUID(),
        source_id: crypto.randomUUID(),
        workspace_id: crypto.randomUUID(),
        destination_id: crypto.randomUUID(),
        schedule_type: "interval",
        interval_minutes: 60,
        schedule_managed_by: "worker",
        next_sync_at: new Date(Date.now() - 60_000),
      })),
    )}`;
  }
  await owner`analyze`;

  Object.assign(process.env, { DATABASE_URL: appUrl, DATABASE_POOL_SIZE: "10", REDIS_URL, QUEUE_PREFIX: prefix, LOG_LEVEL: "warn" });
  const { enqueueDueSyncs } = await import("../server/services/connectors/sync-sweep");
  const { connectorSyncQueue, queueFor, closeQueues } = await import("../server/infra/queue");
  const { closeDatabase } = await import("../server/db/client");

  const rows: Record<string, string | number>[] = [];
  for (const label of ["all due", "nothing due"]) {
    const started = performance.now();
    const summary = await enqueueDueSyncs();
    const seconds = (performance.now() - started) / 1000;
    rows.push({
      sweep: label,
      tenants: summary.tenants,
      "jobs queued": summary.enqueued,
      seconds: seconds.toFixed(3),
      "connections/s": summary.enqueued ? Math.round(summary.enqueued / seconds).toLocaleString("en-US") : "—",
    });
  }
  const [queued] = await owner<{ n: number }[]>`select count(*)::int as n from sync_jobs where trigger = 'schedule' and status = 'queued'`;
  const waiting = await queueFor(connectorSyncQueue).getWaitingCount();
  const [moved] = await owner<{ n: number }[]>`select count(*)::int as n from airbyte_connections where next_sync_at > now()`;
  await owner.end();
  printTable(`Sync sweep: ${tenants.toLocaleString("en-US")} tenants × ${perTenant} due connections`, rows);
  console.log(`sync_jobs queued: ${queued!.n}, queue jobs waiting: ${waiting}, next_sync_at moved on: ${moved!.n} of ${accounts.length}`);
  await closeQueues();
  await closeDatabase();
} finally {
  await dropTestDatabase(dbName);
  await dropRedisKeys(REDIS_URL, `${prefix}:`);
}
