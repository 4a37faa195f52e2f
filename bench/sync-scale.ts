/**
 * Syncs at scale: `npx tsx bench/sync-scale.ts [--tenants 1000] [--per-tenant 5] [--job-minutes 10]
 * [--extra 20] [--concurrency 50] [--failing 50]` (also `npm run bench -- sync-scale`).
 *
 * The production build and ONE worker process on a fresh database, against the Airbyte fake with
 * jobs that run `--job-minutes` by the clock (the fake runs in this process, so it can say exactly
 * when each job came to exist). Requests tenants × per-tenant syncs (5,000 by default) through
 * `POST /api/integrations/<provider>/sync/`, then, while those run, `--extra` more one at a time
 * (on tenants of their own). Reports the time from each POST to its job existing in Airbyte, the
 * Airbyte calls per minute while the jobs run, the worker's RSS and CPU, and — once every job has
 * ended — every sync recorded with its outcome (`--failing` connections end with an auth failure,
 * so their credentials must turn needs_reauth) and how long after its end each was recorded.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import jwt from "jsonwebtoken";
import postgres from "postgres";
import { FAKE_IDENTITIES } from "../e2e/fakes";
import { airbyteEnv, startAirbyteFake } from "../e2e/fakes/airbyte";
import { dropRedisKeys } from "../e2e/support/redis-keys";
import { spawnWorker, type WorkerProcess } from "../e2e/support/worker";
import { printTable, startBenchServer } from "./support";

const { values } = parseArgs({
  options: {
    tenants: { type: "string", default: "1000" },
    "per-tenant": { type: "string", default: "5" },
    "job-minutes": { type: "string", default: "10" },
    extra: { type: "string", default: "20" },
    concurrency: { type: "string", default: "50" },
    failing: { type: "string", default: "50" },
  },
});
const TENANTS = Number(values.tenants);
const PER_TENANT = Math.min(5, Number(values["per-tenant"]));
const JOB_MS = Number(values["job-minutes"]) * 60_000;
const EXTRA = Number(values.extra);
const CONCURRENCY = Number(values.concurrency);
const FAILING = Number(values.failing);
const PROVIDERS = ["google_ads", "ga4", "search_console", "meta_ads", "facebook_pages"].slice(0, PER_TENANT);
const SECRET_KEY = "bench-signing-key-0123456789abcdefghijklmnop";
const WORKSPACE = FAKE_IDENTITIES.workspaceId;
const CLK_TCK = 100; // Linux USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
};
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const clock = () => new Date().toISOString().slice(11, 19);

// --- Airbyte fake: jobs by the clock; creation times recorded here ------------------------------
const createdAt = new Map<string, number>(); // connection id → when its (latest) job came to exist
const apiToken = FAKE_IDENTITIES.airbyte.apiToken;
const airbyte = await startAirbyteFake({ apiToken, jobDurationMs: JOB_MS, onJobCreated: (job) => createdAt.set(job.connectionId, job.createdAtMs) });
const fakeCall = async (path: string, body: unknown) => {
  const res = await fetch(`${airbyte.url}/api/v1/${path}`, { method: "POST", headers: { authorization: `Bearer ${apiToken}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return res.json();
};

// --- the stack: app (production build) on a fresh database, one worker ----------------------------
const queuePrefix = `adinsights-bench-scale-${process.pid}-${Date.now()}`;
const stack = await startBenchServer({
  ...airbyteEnv(airbyte, { apiToken }),
  AIRBYTE_DEFAULT_WORKSPACE_ID: WORKSPACE,
  AIRBYTE_DEFAULT_DESTINATION_ID: FAKE_IDENTITIES.destinationId,
  SECRET_KEY,
  RATE_LIMITS_ENABLED: "false",
  QUEUE_PREFIX: queuePrefix,
});
let worker: WorkerProcess | undefined;
const owner = postgres(stack.ownerUrl, { max: 4, onnotice: () => {} });

try {
  // --- seed: tenants, an ADMIN each, one credential + provisioned connection per provider ------------
  const seedStarted = performance.now();
  const tenantRows = Array.from({ length: TENANTS + EXTRA }, (_, i) => ({ id: randomUUID(), name: `Scale ${i}` }));
  const users = tenantRows.map((t, i) => ({ id: randomUUID(), tenant_id: t.id, email: `scale-${i}-${queuePrefix}@example.test`, password_hash: "!" }));
  type Target = { tenantId: string; userId: string; provider: string; connectionId: string; token?: string; extra: boolean };
  const targets: Target[] = [];
  for (const [i, t] of tenantRows.entries()) {
    const extra = i >= TENANTS;
    for (const provider of extra ? [PROVIDERS[0]!] : PROVIDERS) {
      const source = (await fakeCall("sources/create", { workspaceId: WORKSPACE, sourceDefinitionId: randomUUID(), name: `adinsights-${t.id}-${provider}`, connectionConfiguration: { bench: true } })) as { sourceId: string };
      const connection = (await fakeCall("connections/create", { sourceId: source.sourceId, destinationId: FAKE_IDENTITIES.destinationId, name: `adinsights-${t.id}-${provider}`, scheduleType: "manual", status: "active" })) as { connectionId: string };
      targets.push({ tenantId: t.id, userId: users[i]!.id, provider, connectionId: connection.connectionId, extra });
    }
  }
  // A few connections end with an auth failure: the outcome table must show them, and needs_reauth.
  const failing = targets.filter((x) => !x.extra).filter((_, i) => i % Math.max(1, Math.floor((TENANTS * PER_TENANT) / Math.max(1, FAILING))) === 0).slice(0, FAILING);
  for (const f of failing)
    await fetch(`${airbyte.url}/__fake/job-outcome`, { method: "POST", body: JSON.stringify({ connection_id: f.connectionId, outcome: "failed", failure_type: "config_error", message: "Access token expired or revoked", duration_ms: JOB_MS }) });

  for (let i = 0; i < tenantRows.length; i += 2000) await owner`insert into tenants ${owner(tenantRows.slice(i, i + 2000))}`;
  for (let i = 0; i < users.length; i += 2000) {
    await owner`insert into users ${owner(users.slice(i, i + 2000))}`;
    await owner`insert into user_roles ${owner(users.slice(i, i + 2000).map((u) => ({ tenant_id: u.tenant_id, user_id: u.id, role: "ADMIN" })))}`;
  }
  for (let i = 0; i < targets.length; i += 2000) {
    const chunk = targets.slice(i, i + 2000).map((x) => ({ ...x, accountId: `acct-${x.connectionId.slice(0, 8)}` }));
    await owner`insert into platform_credentials ${owner(chunk.map((x) => ({ tenant_id: x.tenantId, provider: x.provider, account_id: x.accountId, access_token_enc: "enc1:1:bench:bench:bench" })))}`;
    await owner`insert into airbyte_connections ${owner(
      chunk.map((x) => ({
        tenant_id: x.tenantId,
        provider: x.provider,
        account_id: x.accountId,
        name: `adinsights-${x.tenantId}-${x.provider}`,
        connection_id: x.connectionId,
        source_id: randomUUID(),
        workspace_id: WORKSPACE,
        destination_id: FAKE_IDENTITIES.destinationId,
        schedule_type: "manual",
      })),
    )}`;
  }
  await owner`analyze`;
  // Access tokens as the app issues them (signed with the same key; the user is loaded per request).
  const now = Math.floor(Date.now() / 1000);
  for (const x of targets)
    x.token = jwt.sign({ token_type: "access", user_id: x.userId, tenant_id: x.tenantId, jti: randomUUID(), ver: 0, iat: now, exp: now + 3 * 3600 }, SECRET_KEY, { algorithm: "HS256" });
  console.log(`${clock()} seeded ${fmt(tenantRows.length)} tenants, ${fmt(targets.length)} connections in ${fmt((performance.now() - seedStarted) / 1000, 1)} s`);

  worker = await spawnWorker(stack.env);
  const workerPid = worker.child.pid!;
  const cpuTicks = () => {
    const fields = readFileSync(`/proc/${workerPid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  };
  const rssMiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${workerPid}/status`, "utf8"))![1]) / 1024;
  const usage: { at: number; ticks: number; rss: number }[] = [];
  const sampler = setInterval(() => usage.push({ at: Date.now(), ticks: cpuTicks(), rss: rssMiB() }), 2_000);
  const usageBetween = (from: number, to: number) => {
    const inside = usage.filter((u) => u.at >= from && u.at <= to);
    if (inside.length < 2) return { cpu: NaN, rssPeak: NaN, rssEnd: NaN };
    const first = inside[0]!;
    const last = inside.at(-1)!;
    return { cpu: ((last.ticks - first.ticks) / CLK_TCK / ((last.at - first.at) / 1000)) * 100, rssPeak: Math.max(...inside.map((u) => u.rss)), rssEnd: last.rss };
  };

  const post = async (x: Target) => {
    const started = Date.now();
    const res = await fetch(`${stack.baseUrl}/api/integrations/${x.provider}/sync/`, { method: "POST", headers: { authorization: `Bearer ${x.token}`, "content-type": "application/json" }, body: "{}" });
    const body = (await res.json()) as { job_id?: string; deduplicated?: boolean };
    if (res.status !== 202 || body.deduplicated) throw new Error(`sync ${x.provider}: ${res.status} ${JSON.stringify(body)}`);
    return { started, answered: Date.now() };
  };
  const waitCreated = async (x: Target, since: number, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while ((createdAt.get(x.connectionId) ?? 0) < since && Date.now() < deadline) await sleep(5);
    return createdAt.get(x.connectionId) ?? NaN;
  };

  // --- phase 1: the burst ------------------------------------------------------------------------
  const burst = targets.filter((x) => !x.extra);
  const posted = new Map<string, { started: number; answered: number }>();
  const burstStarted = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < burst.length) {
        const x = burst[next++]!;
        posted.set(x.connectionId, await post(x));
      }
    }),
  );
  const burstAnswered = Date.now();
  console.log(`${clock()} ${fmt(burst.length)} syncs requested in ${fmt((burstAnswered - burstStarted) / 1000, 1)} s`);
  while ([...burst].some((x) => (createdAt.get(x.connectionId) ?? 0) < posted.get(x.connectionId)!.started) && Date.now() - burstStarted < JOB_MS) await sleep(200);
  const allRunning = Date.now();
  console.log(`${clock()} all ${fmt(burst.length)} jobs exist in Airbyte (${fmt((allRunning - burstStarted) / 1000, 1)} s after the first request)`);
  const burstLatency = burst.map((x) => createdAt.get(x.connectionId)! - posted.get(x.connectionId)!.started);
  const answerLatency = burst.map((x) => posted.get(x.connectionId)!.answered - posted.get(x.connectionId)!.started);

  // --- phase 2: while they run, more syncs one by one ---------------------------------------------
  await sleep(5_000);
  const extraLatency: number[] = [];
  for (const x of targets.filter((t) => t.extra)) {
    const { started } = await post(x);
    extraLatency.push((await waitCreated(x, started, 30_000)) - started);
    await sleep(500);
  }
  console.log(`${clock()} ${EXTRA} more syncs requested one by one`);

  // --- the steady state: Airbyte calls per minute while the jobs run --------------------------------
  const firstEnd = Math.min(...[...createdAt.values()]) + JOB_MS;
  const windowStart = Date.now();
  const countsAt = () => new Map(airbyte.counts);
  const before = countsAt();
  const windowEnd = Math.max(windowStart + 60_000, firstEnd - 15_000);
  await sleep(Math.max(0, windowEnd - Date.now()));
  const after = countsAt();
  const minutes = (Date.now() - windowStart) / 60_000;
  const steady = usageBetween(windowStart, Date.now());

  // --- phase 3: every job ends; every sync recorded with its outcome -------------------------------
  const total = targets.length;
  const lastEnd = Math.max(...[...createdAt.values()]) + JOB_MS;
  console.log(`${clock()} waiting for the jobs to end (last at ${new Date(lastEnd).toISOString().slice(11, 19)}) and be recorded`);
  let finished = 0;
  while (Date.now() < lastEnd + 10 * 60_000) {
    finished = (await owner<{ n: number }[]>`select count(*)::int as n from sync_jobs where status in ('succeeded', 'failed', 'cancelled')`)[0]!.n;
    if (finished >= total) break;
    await sleep(2_000);
  }
  const allRecorded = Date.now();
  const drain = usageBetween(firstEnd, allRecorded);
  clearInterval(sampler);

  const outcomes = await owner<{ status: string; trigger: string; n: number; records: number }[]>`
    select status, trigger, count(*)::int as n, coalesce(sum(records_synced), 0)::int as records from sync_jobs group by 1, 2 order by 1, 2`;
  const [reauth] = await owner<{ n: number }[]>`select count(*)::int as n from platform_credentials where token_status = 'needs_reauth'`;
  const [connections] = await owner<{ n: number }[]>`select count(*)::int as n from airbyte_connections where last_job_status in ('succeeded', 'failed')`;
  const lags = await owner<{ connection_id: string; finished_ms: number }[]>`
    select c.connection_id, (extract(epoch from j.finished_at) * 1000)::float8 as finished_ms
    from sync_jobs j join airbyte_connections c on c.id = j.connection_row_id where j.finished_at is not null`;
  const recordLag = lags.map((l) => l.finished_ms - (createdAt.get(l.connection_id)! + JOB_MS));
  const triggers = (airbyte.counts.get("/api/v1/connections/sync") ?? 0) + 0;

  // --- tables --------------------------------------------------------------------------------------
  const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  printTable(`POST …/sync/ → the job exists in Airbyte (one worker; jobs run ${fmt(JOB_MS / 60_000, 1)} min)`, [
    { requests: `${fmt(burst.length)} at once (${CONCURRENCY} clients, ${TENANTS} tenants)`, "p50 ms": fmt(pct(burstLatency, 50)), "p99 ms": fmt(pct(burstLatency, 99)), "max ms": fmt(Math.max(...burstLatency)), "answer p50 ms": fmt(pct(answerLatency, 50)), "answer p99 ms": fmt(pct(answerLatency, 99)) },
    { requests: `${EXTRA} one by one while ${fmt(burst.length)} run`, "p50 ms": fmt(pct(extraLatency, 50)), "p99 ms": fmt(pct(extraLatency, 99)), "max ms": fmt(Math.max(...extraLatency)), "answer p50 ms": "", "answer p99 ms": "" },
  ]);
  console.log(`The burst took ${fmt((burstAnswered - burstStarted) / 1000, 1)} s to request and ${fmt((allRunning - burstStarted) / 1000, 1)} s until every job existed in Airbyte.`);
  const paths = ["/api/v1/jobs/list_for_workspaces", "/api/v1/jobs/get", "/api/v1/jobs/list", "/api/v1/connections/sync"];
  const perMinute = paths.map((p) => ({ call: p.replace("/api/v1/", ""), "calls/min": fmt(((after.get(p) ?? 0) - (before.get(p) ?? 0)) / minutes, 1) }));
  const allCalls = [...after.entries()].filter(([p]) => p.startsWith("/api/v1/")).reduce((n, [p, c]) => n + c - (before.get(p) ?? 0), 0);
  perMinute.push({ call: "all Airbyte calls", "calls/min": fmt(allCalls / minutes, 1) });
  printTable(`Airbyte calls per minute while ${fmt(burst.length + EXTRA)} jobs run (${fmt(minutes, 1)} min window, before any ended)`, perMinute);
  const burstUsage = usageBetween(burstStarted, allRunning);
  printTable("Worker process (one)", [
    { phase: `triggering the burst (${fmt((allRunning - burstStarted) / 1000, 0)} s)`, "CPU % of one core": fmt(burstUsage.cpu, 1), "RSS peak MiB": fmt(burstUsage.rssPeak, 0), "RSS end MiB": fmt(burstUsage.rssEnd, 0) },
    { phase: `following ${fmt(burst.length + EXTRA)} running jobs (${fmt(minutes, 1)} min)`, "CPU % of one core": fmt(steady.cpu, 1), "RSS peak MiB": fmt(steady.rssPeak, 0), "RSS end MiB": fmt(steady.rssEnd, 0) },
    { phase: `recording the ends (${fmt((allRecorded - firstEnd) / 1000, 0)} s)`, "CPU % of one core": fmt(drain.cpu, 1), "RSS peak MiB": fmt(drain.rssPeak, 0), "RSS end MiB": fmt(drain.rssEnd, 0) },
  ]);
  printTable(`Every sync recorded (${fmt(finished)} of ${fmt(total)} finished)`, outcomes.map((o) => ({ status: o.status, trigger: o.trigger, syncs: fmt(o.n), "records synced": fmt(o.records) })));
  console.log(
    `Recorded after the job ended: p50 ${fmt(pct(recordLag, 50) / 1000, 1)} s, p99 ${fmt(pct(recordLag, 99) / 1000, 1)} s, max ${fmt(Math.max(...recordLag) / 1000, 1)} s. ` +
      `Credentials marked needs_reauth: ${reauth!.n} (of ${failing.length} connections whose job failed on its token). ` +
      `Connections showing their last job: ${fmt(connections!.n)}. Airbyte jobs started: ${fmt(triggers)} for ${fmt(total)} syncs. Load average at the end: ${load}.`,
  );
} finally {
  worker?.child.kill("SIGTERM");
  await worker?.exited;
  await owner.end();
  await stack.stop();
  await airbyte.close();
  await dropRedisKeys(stack.env.REDIS_URL!, queuePrefix);
}
