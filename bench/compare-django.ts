/**
 * The production server beside the Django original, in one run of ../shared/bench/run_matrix.sh
 * (its README has the set-up): `bash bench/compare-django.sh` (builds first; SKIP_BUILD=1 reuses
 * the build; ROUNDS, BENCH_DURATION and the harness's other variables pass through).
 *
 * It prepares what the harness expects of the project: a fresh database migrated by the real
 * migrate code, the app's non-owner login role, and the bench login `bench@example.com` /
 * `bench-password-2026` as the ADMIN of a tenant with 25 more users (so /api/users/ lists 26, as
 * in Django's seed). The server then runs in its production configuration — request log, rate
 * limiter (limits set out of reach, so it counts every request in Redis but never refuses one) and
 * security headers on — as `node dist/serve.mjs`, pinned to CPU 1 by the harness.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startFakeKms } from "../e2e/fakes/kms";
import { startAppServer } from "../e2e/support/app-server";
import { freePort } from "../e2e/support/net";
import { dropTestDatabase, migratedTestDatabase } from "../e2e/support/postgres";
import { dropRedisKeys } from "../e2e/support/redis-keys";
import { assertProductionBuild } from "../e2e/support/stack";

const EMAIL = "bench@example.com";
const PASSWORD = "bench-password-2026";
const MATRIX = path.resolve(import.meta.dirname, "..", "..", "shared", "bench", "run_matrix.sh");

async function post(base: string, route: string, body: unknown, token?: string) {
  const res = await fetch(`${base}${route}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${route}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, string>;
}

assertProductionBuild();
const dbName = `adinsights_compare_${process.pid}_${Date.now()}`;
const { appUrl } = await migratedTestDatabase(dbName);
const kms = await startFakeKms();
const prefix = `adinsights-compare-${process.pid}`;
const env: Record<string, string> = {
  NODE_ENV: "production",
  DATABASE_URL: appUrl,
  SECRET_KEY: "compare-django-signing-key-0123456789abcdef",
  REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379/0",
  REDIS_KEY_PREFIX: prefix,
  QUEUE_PREFIX: prefix,
  LOG_LEVEL: "info",
  // The limiter runs (one Redis round trip per health check) but the load never reaches a limit.
  RATE_LIMITS_ENABLED: "true",
  DRF_THROTTLE_PUBLIC: "1000000000/min",
  DRF_THROTTLE_AUTH_BURST: "1000000000/min",
  DRF_THROTTLE_AUTH_SUSTAINED: "1000000000/day",
  NEXT_TELEMETRY_DISABLED: "1",
  ...kms.env(),
};
try {
  // The bench login and its tenant's 25 more users, through the public API.
  const seeder = await startAppServer(env);
  try {
    await post(seeder.baseUrl, "/api/tenants/", { name: "Bench Agency", admin_email: EMAIL, admin_password: PASSWORD, admin_first_name: "Bench", admin_last_name: "Admin" });
    const { access } = await post(seeder.baseUrl, "/api/token/", { email: EMAIL, password: PASSWORD });
    for (let i = 1; i <= 25; i++)
      await post(seeder.baseUrl, "/api/users/", { email: `bench-user-${i}@example.com`, password: PASSWORD, first_name: "Bench", last_name: `User ${i}` }, access);
  } finally {
    await seeder.stop();
  }

  const port = await freePort();
  const results = process.env.RESULTS ?? mkdtempSync(path.join(tmpdir(), "adi-bench-"));
  const code = await new Promise<number>((resolve) => {
    const child = spawn("bash", [MATRIX], {
      stdio: "inherit",
      env: {
        ...process.env,
        ...env,
        RESULTS: results,
        CUSTOM_LABEL: process.env.CUSTOM_LABEL ?? "adinsights",
        CUSTOM_URL: `http://127.0.0.1:${port}`,
        CUSTOM_CMD: `cd ${process.cwd()} && PORT=${port} exec node dist/serve.mjs -p ${port} -H 127.0.0.1`,
        ROUNDS: process.env.ROUNDS ?? "2",
      },
    });
    child.on("exit", (status) => resolve(status ?? 1));
  });
  console.log(`\nresults and summary: ${results} (server log: ${results}/server-custom.log)`);
  process.exitCode = code;
} finally {
  await kms.close();
  await dropRedisKeys(env.REDIS_URL!, prefix).catch(() => {});
  await dropTestDatabase(dbName);
}
