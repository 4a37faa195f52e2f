/**
 * Webhook fan-out benchmark: `npx tsx bench/webhooks.ts [--events 10000] [--endpoints 100] [--tenants 100]`
 *
 * A fresh Postgres database (the app's non-owner role, forced RLS), the local Redis, one worker
 * process (dist/worker.mjs, as production runs it) and one local receiver with `--endpoints`
 * endpoints (distinct URLs) spread over `--tenants` tenants. `--events` events are recorded through
 * the production path (`recordEvent`: the event and its delivery rows in one transaction, the
 * queue jobs after commit), round-robin over the tenants, while the worker delivers them. Each
 * event goes to every endpoint of its tenant, so deliveries = events × endpoints / tenants.
 * Printed: deliveries per second (first event recorded → last delivery received) and the lag from
 * an event's `created_at` to its arrival at the receiver (p50/p99/max). Every signature is checked.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { dropTestDatabase, migratedTestDatabase } from "../e2e/support/postgres";
import { dropRedisKeys } from "../e2e/support/redis-keys";
import { spawnWorker } from "../e2e/support/worker";
import { printTable } from "./support";

const { values } = parseArgs({ options: { events: { type: "string", default: "10000" }, endpoints: { type: "string", default: "100" }, tenants: { type: "string", default: "100" } } });
const events = Number(values.events);
const endpoints = Number(values.endpoints);
const tenants = Math.min(Number(values.tenants), endpoints);
const expected = Math.round((events * endpoints) / tenants);
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `adinsights-bench-hooks-${process.pid}-${Date.now()}`;
const dbName = `adinsights_bench_hooks_${process.pid}_${Date.now()}`;

const { ownerUrl, appUrl } = await migratedTestDatabase(dbName);
const env = {
  DATABASE_URL: appUrl,
  DATABASE_POOL_SIZE: "10",
  REDIS_URL,
  QUEUE_PREFIX: prefix,
  REDIS_KEY_PREFIX: prefix,
  LOG_LEVEL: "warn",
  WEBHOOKS_ALLOW_PRIVATE: "true",
  SECRET_KEY: "bench-signing-key-0123456789abcdefghijklmnop",
};
Object.assign(process.env, env);
const { verifySignature } = await import("../server/services/health/webhooks/signature");

// The receiver: one server, one path per endpoint; 204 for every delivery with a valid signature.
const secrets = new Map<string, string>();
const lags: number[] = [];
let received = 0;
let badSignatures = 0;
let lastAt = 0;
let done: () => void;
const finished = new Promise<void>((r) => (done = r));
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const body = Buffer.concat(chunks).toString("utf8");
    const now = Date.now();
    if (!verifySignature(secrets.get(req.url ?? "") ?? "", body, String(req.headers["x-adinsights-signature"]))) badSignatures++;
    lags.push(now - Date.parse(JSON.parse(body).created_at));
    received++;
    lastAt = performance.now();
    res.writeHead(204).end();
    if (received >= expected) done();
  });
});
server.keepAliveTimeout = 5_000;
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const port = (server.address() as AddressInfo).port;

const owner = postgres(ownerUrl, { max: 1, onnotice: () => {} });
let worker: Awaited<ReturnType<typeof spawnWorker>> | undefined;
try {
  const tenantIds = (await owner<{ id: string }[]>`insert into tenants ${owner(Array.from({ length: tenants }, (_, i) => ({ name: `Hooks ${i}` })))} returning id`).map((r) => r.id);
  const { createEndpoint } = await import("../server/services/health/webhooks/endpoints");
  for (let i = 0; i < endpoints; i++) {
    const tenantId = tenantIds[i % tenants]!;
    const path = `/hooks/${i}`;
    const made = await createEndpoint({ userId: "00000000-0000-4000-8000-000000000000", tenantId, roles: ["ADMIN"] } as never, { url: `http://127.0.0.1:${port}${path}` });
    secrets.set(path, made.secret);
  }
  worker = await spawnWorker({ ...env, WORKER_HEALTH_PORT: "0" });

  const { withTenantThen } = await import("../server/services/health/after-commit");
  const { recordEvent } = await import("../server/services/health/events");
  const started = performance.now();
  // Producers: a few concurrent writers, like several app/worker processes recording events.
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < events) {
        const n = next++;
        const tenantId = tenantIds[n % tenants]!;
        await withTenantThen(tenantId, (tx, after) =>
          recordEvent(tx, tenantId, { type: "sync.succeeded", provider: "ga4", data: { provider: "ga4", n, records_synced: 1234 } }, after),
        );
      }
    }),
  );
  const recordedIn = (performance.now() - started) / 1000;
  const timeout = setTimeout(() => done(), 600_000);
  await finished;
  clearTimeout(timeout);
  const seconds = (lastAt - started) / 1000;
  lags.sort((a, b) => a - b);
  const pct = (p: number) => lags[Math.min(lags.length - 1, Math.floor((p / 100) * lags.length))] ?? NaN;
  printTable(`Webhook fan-out: ${events.toLocaleString("en-US")} events → ${endpoints} endpoints (${tenants} tenants), one worker`, [
    {
      deliveries: received.toLocaleString("en-US"),
      "events recorded in (s)": recordedIn.toFixed(1),
      "all delivered in (s)": seconds.toFixed(1),
      "deliveries/s": Math.round(received / seconds).toLocaleString("en-US"),
      "lag p50 (ms)": pct(50),
      "lag p99 (ms)": pct(99),
      "lag max (ms)": lags.at(-1) ?? NaN,
      "bad signatures": badSignatures,
    },
  ]);
  // The receiver counts an arrival before the worker records it: give the last records a moment.
  let pending = -1;
  for (let i = 0; i < 50 && pending !== 0; i++) {
    pending = (await owner<{ n: number }[]>`select count(*)::int as n from webhook_deliveries where status <> 'succeeded'`)[0]!.n;
    if (pending !== 0) await new Promise((r) => setTimeout(r, 200));
  }
  console.log(`deliveries not succeeded in the database: ${pending}`);
  const { closeQueues } = await import("../server/infra/queue");
  const { closeDatabase } = await import("../server/db/client");
  const { flushDecryptAudits } = await import("../server/services/vault");
  await flushDecryptAudits();
  await closeQueues();
  await closeDatabase();
} finally {
  worker?.child.kill("SIGTERM");
  await worker?.exited;
  server.closeAllConnections();
  server.close();
  await owner.end();
  await dropTestDatabase(dbName);
  await dropRedisKeys(REDIS_URL, prefix);
}
process.exit(0);
