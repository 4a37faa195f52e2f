/**
 * `ingest-sample-metrics` semantics (spec/integrations.md, CLI), exercised in-process against the
 * test Postgres as the app role: counts, aliases, decimals, bad rows by line, re-ingest, --source,
 * --reset scope and tenant isolation of what was ingested.
 */
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { IngestError, summaryLine } from "../../server/services/devdata/ingest";
import { inTenant } from "../support/as-tenant";
import { createTenant, type TestTenant } from "../support/api";
import { releaseAppEnv, useAppEnv } from "../support/app-env";
import { ingestCsv, METRICS_HEADER } from "../support/metrics";

let sql: postgres.Sql;
let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  useAppEnv();
  sql = postgres(inject("appDatabaseUrl"), { max: 2, onnotice: () => {} });
  [a, b] = await Promise.all([createTenant(), createTenant()]);
});
afterAll(async () => {
  await sql.end();
  await releaseAppEnv();
});

function asTenant<T>(tenant: string, fn: (tx: postgres.TransactionSql) => Promise<T>): Promise<T> {
  return inTenant(sql, tenant, fn);
}

const metrics = (tenant: string, source: string) =>
  asTenant(tenant, (tx) => tx`select date::text, source, level, external_id, impressions::int, clicks::int, spend::text, currency, conversions::text
                              from daily_metrics where source = ${source} order by date, level, external_id`);

describe("ingest-sample-metrics", () => {
  const rows = [
    METRICS_HEADER,
    "2025-09-01,meta_ads,,cmp-1,Back to School,set-1,Parents,ad-1,Carousel,1500,30,1234.56,JMD,3",
    "2025-09-01,meta_ads,,cmp-1,Back to School,set-1,Parents,ad-2,Video,900,12,99.9,JMD,0.5",
    '2025-09-01,google_ads,,g-1,"Brand, Search",,,,,400,60,2500,,7',
  ];

  it("creates campaigns, ad sets, ads and metrics, keeping decimals exact", async () => {
    const report = await ingestCsv(a.id, rows);
    expect(report).toMatchObject({ created: 3, updated: 0, skipped: 0, tenantName: a.name });
    expect(summaryLine(report)).toBe(`Ingested sample metrics for tenant ${a.name}: 3 created, 0 updated, 0 skipped`);
    expect(await metrics(a.id, "meta_ads")).toEqual([
      { date: "2025-09-01", source: "meta_ads", level: "ad", external_id: "ad-1", impressions: 1500, clicks: 30, spend: "1234.5600", currency: "JMD", conversions: "3.0000" },
      { date: "2025-09-01", source: "meta_ads", level: "ad", external_id: "ad-2", impressions: 900, clicks: 12, spend: "99.9000", currency: "JMD", conversions: "0.5000" },
    ]);
    expect(await metrics(a.id, "google_ads")).toMatchObject([{ level: "campaign", external_id: "g-1", spend: "2500.0000", currency: "JMD" }]);
    const hierarchy = await asTenant(a.id, (tx) => tx`
      select c.name as campaign, s.name as adset, ad.name as ad from ads ad
      join ad_sets s on s.id = ad.ad_set_id join campaigns c on c.id = s.campaign_id order by ad.external_id`);
    expect(hierarchy).toEqual([
      { campaign: "Back to School", adset: "Parents", ad: "Carousel" },
      { campaign: "Back to School", adset: "Parents", ad: "Video" },
    ]);
    const [google] = await asTenant(a.id, (tx) => tx`select name from campaigns where source = 'google_ads' and external_id = 'g-1'`);
    expect(google).toEqual({ name: "Brand, Search" });
  });

  it("re-ingesting updates rows instead of duplicating them, and renames entities", async () => {
    const changed = [...rows.slice(0, 2), rows[2]!.replace("Video", "Video v2").replace(",900,", ",950,"), rows[3]!];
    const report = await ingestCsv(a.id, changed);
    expect(report).toMatchObject({ created: 0, updated: 3, skipped: 0 });
    const meta = await metrics(a.id, "meta_ads");
    expect(meta).toHaveLength(2);
    expect(meta[1]).toMatchObject({ external_id: "ad-2", impressions: 950 });
    const names = await asTenant(a.id, (tx) => tx`select name from ads order by external_id`);
    expect(names.map((r) => r.name)).toEqual(["Carousel", "Video v2"]);
  });

  it("accepts the old exporter's column names", async () => {
    const report = await ingestCsv(a.id, [
      "date_day,platform,campaign_id,campaign_name,adset_id,ad_id,impressions,clicks,spend,currency",
      "2025-09-03,meta_ads,cmp-1,Back to School,set-1,ad-1,10,1,0.01,JMD",
    ]);
    expect(report).toMatchObject({ created: 1, updated: 0, skipped: 0 });
    const [row] = await asTenant(a.id, (tx) => tx`select level, external_id, spend::text from daily_metrics where date = '2025-09-03'`);
    expect(row).toEqual({ level: "ad", external_id: "ad-1", spend: "0.0100" });
  });

  it("skips bad rows and reports each by its line number", async () => {
    const report = await ingestCsv(a.id, [
      METRICS_HEADER,
      "2025-09-04,meta_ads,,cmp-1,,,,,,1,1,1,JMD,0",
      "2025-02-30,meta_ads,,cmp-1,,,,,,1,1,1,JMD,0",
      "2025-09-04,meta_ads,,cmp-2,,,,,,ten,1,1,JMD,0",
      '2025-09-04,meta_ads,,"cmp\n3",,,,,,1,1,1.23456,JMD,0',
      "2025-09-04,google_ads,,g-1,,,,,,5,1,2.5,JMD,0",
    ]);
    expect(report).toMatchObject({ created: 2, updated: 0, skipped: 3 });
    expect(report.badRows).toEqual([
      { line: 3, reason: 'date "2025-02-30" is not a valid date (YYYY-MM-DD)' },
      { line: 4, reason: 'impressions "ten" is not a whole non-negative number' },
      { line: 5, reason: 'spend "1.23456" is not a non-negative decimal (at most 4 decimal places)' },
    ]);
  });

  it("a key repeated within one file is one row: the last line wins and counts as an update", async () => {
    const report = await ingestCsv(a.id, [
      METRICS_HEADER,
      "2025-09-05,meta_ads,,cmp-1,,,,,,100,1,1,JMD,0",
      "2025-09-05,meta_ads,,cmp-1,,,,,,200,2,2,JMD,0",
    ]);
    expect(report).toMatchObject({ created: 1, updated: 1, skipped: 0 });
    const rowsOnDay = await asTenant(a.id, (tx) => tx`select impressions::int from daily_metrics where date = '2025-09-05'`);
    expect(rowsOnDay).toEqual([{ impressions: 200 }]);
  });

  it("--source fills rows without a source and skips rows of another source", async () => {
    const report = await ingestCsv(
      a.id,
      ["date,source,campaign_external_id,impressions", "2025-09-06,,gc-7,5", "2025-09-06,meta_ads,cmp-1,5", "2025-09-06,google_ads,gc-8,5"],
      { source: "google_ads" },
    );
    expect(report).toMatchObject({ created: 2, updated: 0, skipped: 1 });
    expect(report.badRows).toEqual([{ line: 3, reason: 'source "meta_ads" is not the selected source "google_ads"' }]);
  });

  it("refuses a file without the required columns and an unknown tenant", async () => {
    await expect(ingestCsv(a.id, ["day,spend", "2025-09-01,1"])).rejects.toThrow(
      new IngestError("The CSV header is missing required column(s): date, campaign_external_id, source."),
    );
    const ghost = crypto.randomUUID();
    await expect(ingestCsv(ghost, rows)).rejects.toThrow(new IngestError(`Tenant ${ghost} does not exist.`));
  });

  it("--reset deletes only this tenant's metrics, in the same transaction as the load", async () => {
    await ingestCsv(b.id, rows);
    const before = await asTenant(b.id, (tx) => tx`select count(*)::int as n from daily_metrics`);
    const report = await ingestCsv(a.id, [METRICS_HEADER, "2025-10-01,meta_ads,,cmp-1,,,,,,1,1,1,JMD,0"], { reset: true });
    expect(report.deleted).toBeGreaterThan(5);
    expect(report).toMatchObject({ created: 1, updated: 0, skipped: 0 });
    expect(await asTenant(a.id, (tx) => tx`select date::text from daily_metrics`)).toEqual([{ date: "2025-10-01" }]);
    expect(await asTenant(b.id, (tx) => tx`select count(*)::int as n from daily_metrics`)).toEqual(before);
    // Entities stay: --reset is about metrics.
    expect((await asTenant(a.id, (tx) => tx`select count(*)::int as n from ads`))[0]!.n).toBe(2);

    // A load that fails leaves the reset undone.
    await expect(ingestCsv(a.id, ["nope"], { reset: true })).rejects.toThrow(IngestError);
    expect(await asTenant(a.id, (tx) => tx`select count(*)::int as n from daily_metrics`)).toEqual([{ n: 1 }]);
  });

  it("what one tenant ingested is invisible to another, and the same external ids do not collide", async () => {
    const fromB = await asTenant(b.id, (tx) => tx`select distinct tenant_id::text as t from daily_metrics`);
    expect(fromB).toEqual([{ t: b.id }]);
    for (const table of ["campaigns", "ad_sets", "ads", "daily_metrics"]) {
      const seen = await asTenant(b.id, (tx) => tx.unsafe(`select count(*)::int as n from ${table} where tenant_id = '${a.id}'`));
      expect(seen).toEqual([{ n: 0 }]);
    }
    // B ingested the same ids as A: each tenant has its own campaign row.
    const [mine] = await asTenant(b.id, (tx) => tx`select count(*)::int as n from campaigns where external_id = 'cmp-1'`);
    expect(mine).toEqual({ n: 1 });
  });
});
