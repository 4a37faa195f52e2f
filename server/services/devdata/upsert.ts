/**
 * Set-based upserts from the staging table into campaigns, ad sets, ads and daily metrics: a
 * fixed handful of statements however many rows were staged. Runs inside the tenant's RLS
 * transaction, so every insert is also checked by the tenant policy.
 */
import { sql } from "drizzle-orm";
import type { Tx } from "../../db/client";
import { pgErrorCode } from "../../db/errors";
import { STAGING_TABLE } from "./staging";

const S = sql.raw(STAGING_TABLE);

/** drizzle returns rows as an array on postgres.js and as `{ rows }` on PGlite. */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}

export async function upsertEntities(tx: Tx, tenantId: string): Promise<void> {
  // Only rows flagged `fresh` can introduce or rename an entity; the latest line wins a name.
  await tx.execute(sql`
    insert into campaigns (tenant_id, source, external_id, name)
    select distinct on (source, campaign_external_id) ${tenantId}::uuid, source, campaign_external_id, campaign_name
    from ${S} where fresh & 1 <> 0
    order by source, campaign_external_id, line desc
    on conflict (tenant_id, source, external_id) do update set name = excluded.name, updated_at = now()
    where campaigns.name is distinct from excluded.name`);
  await tx.execute(sql`
    insert into ad_sets (tenant_id, campaign_id, source, external_id, name)
    select ${tenantId}::uuid, c.id, s.source, s.adset_external_id, s.adset_name
    from (select distinct on (source, adset_external_id) source, adset_external_id, adset_name, campaign_external_id
          from ${S} where fresh & 2 <> 0
          order by source, adset_external_id, line desc) s
    join campaigns c on c.tenant_id = ${tenantId}::uuid and c.source = s.source and c.external_id = s.campaign_external_id
    on conflict (tenant_id, source, external_id) do update
      set name = excluded.name, campaign_id = excluded.campaign_id, updated_at = now()
    where (ad_sets.name, ad_sets.campaign_id) is distinct from (excluded.name, excluded.campaign_id)`);
  await tx.execute(sql`
    insert into ads (tenant_id, ad_set_id, source, external_id, name)
    select ${tenantId}::uuid, a.id, s.source, s.ad_external_id, s.ad_name
    from (select distinct on (source, ad_external_id) source, ad_external_id, ad_name, adset_external_id
          from ${S} where fresh & 4 <> 0
          order by source, ad_external_id, line desc) s
    join ad_sets a on a.tenant_id = ${tenantId}::uuid and a.source = s.source and a.external_id = s.adset_external_id
    on conflict (tenant_id, source, external_id) do update
      set name = excluded.name, ad_set_id = excluded.ad_set_id, updated_at = now()
    where (ads.name, ads.ad_set_id) is distinct from (excluded.name, excluded.ad_set_id)`);
}

const COLUMNS = sql.raw("date, source, level, external_id, impressions, clicks, spend, currency, conversions");

/** Every staged row is new for this tenant (checked by the caller): a plain INSERT, no conflict arbitration. */
function metricsInsert(tenantId: string) {
  return sql`insert into daily_metrics (tenant_id, ${COLUMNS}) select ${tenantId}::uuid, ${COLUMNS} from ${S}`;
}

function metricsUpsert(tenantId: string, dedupe: boolean) {
  // Without duplicates in the file every staged row is its own key; with them, the last line wins.
  const rows = dedupe
    ? sql`(select distinct on (date, source, level, external_id) * from ${S}
           order by date, source, level, external_id, line desc)`
    : S;
  return sql`
    with upserted as (
      insert into daily_metrics (tenant_id, ${COLUMNS})
      select ${tenantId}::uuid, ${COLUMNS} from ${rows} s
      on conflict (tenant_id, date, source, level, external_id) do update set
        impressions = excluded.impressions, clicks = excluded.clicks, spend = excluded.spend,
        currency = excluded.currency, conversions = excluded.conversions, updated_at = now()
      -- A row re-ingested with the same numbers is left alone: no new tuple, no index entries.
      where (daily_metrics.impressions, daily_metrics.clicks, daily_metrics.spend, daily_metrics.currency, daily_metrics.conversions)
        is distinct from (excluded.impressions, excluded.clicks, excluded.spend, excluded.currency, excluded.conversions)
      -- xmax is 0 only on a freshly inserted tuple: that is how created and updated are told apart.
      returning (xmax = 0) as created
    )
    select (count(*) filter (where created))::int as created from upserted`;
}

const CARDINALITY_VIOLATION = "21000";
const UNIQUE_VIOLATION = "23505";

/**
 * Tries `fast` inside a savepoint (a nested drizzle transaction, so the driver knows the failure
 * is handled); when it fails with one of `codes`, the savepoint is rolled back and this returns
 * undefined.
 */
async function attempt<T>(tx: Tx, codes: string[], fast: (savepoint: Tx) => Promise<T>): Promise<T | undefined> {
  try {
    return await tx.transaction((savepoint) => fast(savepoint));
  } catch (error) {
    if (!codes.includes(pgErrorCode(error).code ?? "")) throw error;
    return undefined;
  }
}

export interface StagedSpan {
  rows: number;
  firstDate: string;
  lastDate: string;
}

/** Upserts every staged metric row; returns how many were new. */
export async function upsertMetrics(tx: Tx, tenantId: string, span: StagedSpan): Promise<number> {
  // The primary key starts (tenant_id, date), so this probe is one index range check.
  const [overlap] = rowsOf<{ any: boolean }>(
    await tx.execute(sql`select exists (select 1 from daily_metrics where tenant_id = ${tenantId}::uuid
                         and date between ${span.firstDate}::date and ${span.lastDate}::date) as any`),
  );
  if (!overlap?.any) {
    // Nothing of this tenant in these dates: every row is new unless the file repeats a key.
    const inserted = await attempt(tx, [UNIQUE_VIOLATION], async (sp) => {
      await sp.execute(metricsInsert(tenantId));
      return true;
    });
    if (inserted) return span.rows;
  } else {
    const created = await attempt(tx, [CARDINALITY_VIOLATION], async (sp) =>
      rowsOf<{ created: number }>(await sp.execute(metricsUpsert(tenantId, false))),
    );
    if (created !== undefined) return Number(created[0]?.created ?? 0);
  }
  // The file repeats a key: ON CONFLICT cannot touch a row twice, so de-duplicate (last line wins).
  const [result] = rowsOf<{ created: number }>(await tx.execute(metricsUpsert(tenantId, true)));
  return Number(result?.created ?? 0);
}
