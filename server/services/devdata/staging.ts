/**
 * The staging side of an ingest: a TEMP table that lives for one transaction, filled by COPY on
 * Postgres or by batched multi-row INSERTs on PGlite (which has no COPY FROM STDIN over a socket).
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { sql } from "drizzle-orm";
import type postgres from "postgres";
import type { Tx } from "../../db/client";
import type { MetricRow } from "./metrics-row";

export const STAGING_TABLE = "ingest_staging";
const COLUMNS =
  "line, date, source, external_id, level, campaign_external_id, campaign_name, adset_external_id, adset_name, " +
  "ad_external_id, ad_name, impressions, clicks, spend, currency, conversions, fresh";

export async function createStagingTable(tx: Tx): Promise<void> {
  // Temporary: no WAL, no RLS, invisible to other sessions, dropped at commit.
  await tx.execute(
    sql.raw(`create temp table ${STAGING_TABLE} (
      line bigint not null, date date not null, source text not null, external_id text not null, level text not null,
      campaign_external_id text, campaign_name text, adset_external_id text, adset_name text,
      ad_external_id text, ad_name text, impressions bigint not null, clicks bigint not null, spend numeric not null,
      currency text not null, conversions numeric not null, fresh smallint not null
    ) on commit drop`),
  );
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };
/** A value in COPY's text format: NULL as \N, backslash and separators escaped. */
const copyValue = (v: string | null) =>
  v === null ? "\\N" : COPY_SPECIAL.test(v) ? v.replace(/[\\\t\n\r]/g, (m) => COPY_ESCAPES[m]!) : v;

/**
 * Entity columns are sent only on rows that may introduce or rename an entity (`fresh`); the rest
 * carry NULLs there, which keeps the COPY stream and the staging table about half as wide.
 */
function entityColumns(r: MetricRow): [string | null, string | null, string | null, string | null, string | null, string | null] {
  const f = r.fresh;
  if (f === 0) return [null, null, null, null, null, null];
  return [
    f & 3 ? r.campaignExternalId : null,
    f & 1 ? r.campaignName : null,
    f & 6 ? r.adsetExternalId : null,
    f & 2 ? r.adsetName : null,
    f & 4 ? r.adExternalId : null,
    f & 4 ? r.adName : null,
  ];
}

function copyLine(r: MetricRow): string {
  const head = `${r.line}\t${r.date}\t${r.source}\t${copyValue(r.externalId)}\t${r.level}\t`;
  const tail = `\t${r.impressions}\t${r.clicks}\t${r.spend}\t${r.currency}\t${r.conversions}\t${r.fresh}\n`;
  if (r.fresh === 0) return `${head}\\N\t\\N\t\\N\t\\N\t\\N\t\\N${tail}`;
  return head + entityColumns(r).map(copyValue).join("\t") + tail;
}

/** One CopyData message per input chunk; backpressure from the socket pauses the reader. */
async function* copyChunks(batches: AsyncIterable<MetricRow[]>): AsyncGenerator<string> {
  for await (const batch of batches) {
    let chunk = "";
    for (const row of batch) chunk += copyLine(row);
    if (chunk !== "") yield chunk;
  }
}

/**
 * The postgres.js transaction behind a drizzle transaction. drizzle does not expose COPY, so the
 * loader reaches the same connection (same transaction, same role and tenant settings) directly.
 */
function rawTransaction(tx: Tx): postgres.TransactionSql {
  return (tx as unknown as { session: { client: postgres.TransactionSql } }).session.client;
}

export async function copyIntoStaging(tx: Tx, batches: AsyncIterable<MetricRow[]>): Promise<void> {
  const client = rawTransaction(tx);
  const writable = await client.unsafe(`copy ${STAGING_TABLE} (${COLUMNS}) from stdin`).writable();
  await pipeline(Readable.from(copyChunks(batches)), writable);
}

const INSERT_BATCH = 500;

/** PGlite: the same staging table, filled 500 rows per statement. */
export async function insertIntoStaging(tx: Tx, batches: AsyncIterable<MetricRow[]>): Promise<void> {
  let batch: MetricRow[] = [];
  const flush = async () => {
    const values = batch.map((r) => {
      const [campaignId, campaignName, adsetId, adsetName, adId, adName] = entityColumns(r);
      return sql`(${r.line}, ${r.date}, ${r.source}, ${r.externalId}, ${r.level}, ${campaignId}, ${campaignName}, ${adsetId}, ${adsetName}, ${adId}, ${adName}, ${r.impressions}, ${r.clicks}, ${r.spend}, ${r.currency}, ${r.conversions}, ${r.fresh})`;
    });
    await tx.execute(sql`insert into ${sql.raw(STAGING_TABLE)} (${sql.raw(COLUMNS)}) values ${sql.join(values, sql`, `)}`);
    batch = [];
  };
  for await (const rows of batches) {
    for (const row of rows) {
      batch.push(row);
      if (batch.length === INSERT_BATCH) await flush();
    }
  }
  if (batch.length > 0) await flush();
}
