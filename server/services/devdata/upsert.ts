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
export { rowsOf } from "../../db/rows";
import { rowsOf } from "../../db/rows";

/** How one child level is staged and stored (all identifiers are constants, never input). */
interface ChildLevel {
  table: string;
  /** The `fresh` bit that marks a first sighting or rename of this level. */
  bit: number;
  /** Staging columns with this level's id and name, and its parent's id. */
  idColumn: string;
  nameColumn: string;
  parentIdColumn: string;
  parentTable: string;
  /** This table's column referencing the parent. */
  parentKey: string;
}

const AD_SETS: ChildLevel = { table: "ad_sets", bit: 2, idColumn: "adset_external_id", nameColumn: "adset_name", parentIdColumn: "campaign_external_id", parentTable: "campaigns", parentKey: "campaign_id" };
const ADS: ChildLevel = { table: "ads", bit: 4, idColumn: "ad_external_id", nameColumn: "ad_name", parentIdColumn: "adset_external_id", parentTable: "ad_sets", parentKey: "ad_set_id" };

function upsertChildren(tx: Tx, tenantId: string, level: ChildLevel) {
  const [table, id, name, parentId, parentTable, parentKey] = [level.table, level.idColumn, level.nameColumn, level.parentIdColumn, level.parentTable, level.parentKey].map(sql.raw);
  return tx.execute(sql`
    insert into ${table} (tenant_id, ${parentKey}, source, external_id, name)
    select ${tenantId}::uuid, p.id, s.source, s.${id}, s.${name}
    from (select distinct on (source, ${id}) source, ${id}, ${name}, ${parentId}
          from ${S} where fresh & ${sql.raw(String(level.bit))} <> 0
          order by source, ${id}, line desc) s
    join ${parentTable} p on p.tenant_id = ${tenantId}::uuid and p.source = s.source and p.external_id = s.${parentId}
    on conflict (tenant_id, source, external_id) do update
      set name = excluded.name, ${parentKey} = excluded.${parentKey}, updated_at = now()
    where (${table}.name, ${table}.${parentKey}) is distinct from (excluded.name, excluded.${parentKey})`);
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
  // Parents first: each level joins the one above it for its parent's id.
  await upsertChildren(tx, tenantId, AD_SETS);
  await upsertChildren(tx, tenantId, ADS);
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
