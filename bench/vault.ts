/**
 * Vault benchmark: `npm run bench -- vault [--tenants 1000] [--credentials 5] [--kms-latency-ms 0]`
 *
 * On a fresh Postgres database (as the app's non-owner role, under forced RLS) and the fake AWS
 * KMS (real SDK, signed requests):
 *   1. rotation throughput — rotate-deks over N tenants × M credentials (2 secrets each), values
 *      re-encrypted per second, at a few concurrencies;
 *   2. decrypt latency with a warm DEK cache — p50/p99 of decryptSecret inside an open tenant
 *      transaction, and of a whole read (withTenant + select + decrypt).
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import postgres from "postgres";
import { startFakeKms } from "../e2e/fakes/kms";
import { createTestDatabase, dropTestDatabase, ensureAppLoginRole } from "../e2e/support/postgres";
import { runPool } from "../server/services/run-pool";

interface Options {
  tenants: number;
  credentials: number;
  kmsLatencyMs: number;
}

function table(title: string, rows: Record<string, string | number>[]): string {
  const headers = Object.keys(rows[0]!);
  const cells = rows.map((r) => headers.map((h) => String(r[h])));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padStart(widths[i]!)).join(" | ")} |`;
  return [`\n${title}`, line(headers), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...cells.map(line)].join("\n");
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;


export async function runVaultBench(options: Options): Promise<string> {
  const dbName = `adinsights_bench_vault_${process.pid}_${Date.now()}`;
  const { ownerUrl, appUrl } = await createTestDatabase(dbName);
  const fake = await startFakeKms({ latencyMs: options.kmsLatencyMs });
  try {
    const { migratePostgres } = await import("../server/db/migrate");
    await migratePostgres(ownerUrl);
    await ensureAppLoginRole(ownerUrl);
    Object.assign(process.env, fake.env(), { DATABASE_URL: appUrl, DATABASE_POOL_SIZE: "24", LOG_LEVEL: "warn", NODE_ENV: "production", SECRET_KEY: "bench-signing-key-0123456789abcdef0123456789" });
    const { withTenant } = await import("../server/db/tenant");
    const { platformCredentials } = await import("../server/db/schema");
    const { encryptSecret, decryptSecret, flushDecryptAudits } = await import("../server/services/vault");
    const { clearDataKeyCache } = await import("../server/services/vault/dek-cache");
    const { rotateDataKeys } = await import("../server/services/vault/rotation");
    const { closeDatabase } = await import("../server/db/client");

    // Seed: tenants in one insert, then each tenant's credentials through the vault.
    const owner = postgres(ownerUrl, { max: 1, onnotice: () => {} });
    const tenantIds = (await owner<{ id: string }[]>`insert into tenants ${owner(Array.from({ length: options.tenants }, (_, i) => ({ name: `Bench ${i}` })))} returning id`).map((r) => r.id);
    await owner.end();
    const samples: { tenantId: string; id: string; ciphertext: string }[] = [];
    const seedStart = performance.now();
    await runPool(tenantIds, 16, async (tenantId) => {
      await withTenant(tenantId, async (tx) => {
        for (let c = 0; c < options.credentials; c++) {
          const id = randomUUID();
          const at = (column: string) => ({ tenantId, table: "platform_credentials", column, rowId: id });
          const access = await encryptSecret(tx, at("access_token_enc"), `ya29.${randomUUID()}${randomUUID()}`);
          const refresh = await encryptSecret(tx, at("refresh_token_enc"), `1//${randomUUID()}${randomUUID()}`);
          await tx.insert(platformCredentials).values({ id, tenantId, provider: "google_ads", accountId: `acct-${c}`, accessTokenEnc: access, refreshTokenEnc: refresh });
          if (c === 0) samples.push({ tenantId, id, ciphertext: access });
        }
      });
    });
    const seedSeconds = (performance.now() - seedStart) / 1000;

    // 1. Rotation throughput. Each run starts cold (a new process would), so the old DEK of
    //    every tenant is unwrapped with a KMS Decrypt, and a new one made with GenerateDataKey.
    const rotationRows: Record<string, string | number>[] = [];
    for (const concurrency of [1, 4, 8, 16]) {
      clearDataKeyCache();
      const calls = { ...fake.calls };
      const start = performance.now();
      const summary = await rotateDataKeys({ tenantIds, concurrency, olderThan: new Date(Date.now() + 1000) });
      const seconds = (performance.now() - start) / 1000;
      if (summary.failed) throw new Error(`rotation failed for ${summary.failed} tenants`);
      rotationRows.push({
        concurrency,
        tenants: summary.rotated,
        values: summary.values,
        seconds: seconds.toFixed(2),
        "values/s": Math.round(summary.values / seconds),
        "tenants/s": Math.round(summary.rotated / seconds),
        "KMS calls": Object.entries(fake.calls).reduce((n, [k, v]) => n + v - (calls[k] ?? 0), 0),
      });
      await new Promise((r) => setTimeout(r, 1100)); // keys of the next run predate its cutoff
    }

    // 2. Decrypt latency, warm cache (rotation left every tenant on a new version: re-read).
    const current = await Promise.all(
      samples.slice(0, 200).map((s) =>
        withTenant(s.tenantId, async (tx) => {
          const [row] = await tx.select({ v: platformCredentials.accessTokenEnc }).from(platformCredentials).where((await import("drizzle-orm")).eq(platformCredentials.id, s.id));
          return { ...s, ciphertext: row!.v! };
        }),
      ),
    );
    const reason = { actorUserId: null, job: "bench", purpose: "latency benchmark" };
    const at = (s: (typeof current)[number]) => ({ tenantId: s.tenantId, table: "platform_credentials", column: "access_token_enc", rowId: s.id });
    for (const s of current) await withTenant(s.tenantId, (tx) => decryptSecret(tx, at(s), s.ciphertext, reason)); // warm
    const inTx: number[] = [];
    const fullRead: number[] = [];
    const { eq } = await import("drizzle-orm");
    const kmsBefore = fake.calls.Decrypt ?? 0;
    for (let round = 0; round < 10; round++) {
      for (const s of current) {
        await withTenant(s.tenantId, async (tx) => {
          const t0 = performance.now();
          await decryptSecret(tx, at(s), s.ciphertext, reason);
          inTx.push(performance.now() - t0);
        });
        const t1 = performance.now();
        await withTenant(s.tenantId, async (tx) => {
          const [row] = await tx.select({ v: platformCredentials.accessTokenEnc }).from(platformCredentials).where(eq(platformCredentials.id, s.id));
          await decryptSecret(tx, at(s), row!.v!, reason);
        });
        fullRead.push(performance.now() - t1);
      }
    }
    const kmsDuring = (fake.calls.Decrypt ?? 0) - kmsBefore;
    await flushDecryptAudits();
    const latency = (name: string, xs: number[]) => {
      const sorted = [...xs].sort((a, b) => a - b);
      return { measurement: name, samples: xs.length, "p50 ms": percentile(sorted, 50).toFixed(3), "p99 ms": percentile(sorted, 99).toFixed(3), "max ms": sorted.at(-1)!.toFixed(3) };
    };
    await closeDatabase();

    return [
      `vault bench: ${options.tenants} tenants × ${options.credentials} credentials (2 secrets each = ${options.tenants * options.credentials * 2} values), fake AWS KMS latency ${options.kmsLatencyMs} ms, seeded in ${seedSeconds.toFixed(1)} s`,
      table("rotate-deks throughput (one transaction per tenant, cold DEK cache)", rotationRows),
      table(`decrypt latency, warm DEK cache (KMS Decrypt calls during the measurement: ${kmsDuring})`, [
        latency("decryptSecret in an open tenant transaction", inTx),
        latency("withTenant + select row + decryptSecret", fullRead),
      ]),
    ].join("\n");
  } finally {
    await fake.close();
    await dropTestDatabase(dbName).catch(() => {});
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      tenants: { type: "string", default: "1000" },
      credentials: { type: "string", default: "5" },
      "kms-latency-ms": { type: "string", default: "0" },
    },
  });
  const report = await runVaultBench({ tenants: Number(values.tenants), credentials: Number(values.credentials), kmsLatencyMs: Number(values["kms-latency-ms"]) });
  console.log(report);
  process.exit(0);
}
