/**
 * `ingest-sample-metrics` (spec/integrations.md, CLI): streams a CSV of daily ad metrics into one
 * tenant. Rows are validated one at a time (bad ones skipped and reported by line), loaded into a
 * TEMP staging table (COPY on Postgres, batched INSERTs on PGlite), then upserted with a fixed
 * number of set-based statements — all in one transaction under the tenant's RLS context.
 */
import type { Readable } from "node:stream";
import { eq, sql } from "drizzle-orm";
import { database, type Tx } from "../../db/client";
import { dailyMetrics, tenants } from "../../db/schema";
import { withTenant } from "../../db/tenant";
import { readCsv, type CsvRecord } from "./csv";
import { mapHeader, parseMetricRow, RowError, type HeaderMap, type MetricRow } from "./metrics-row";
import { copyIntoStaging, createStagingTable, insertIntoStaging } from "./staging";
import { rowsOf, upsertEntities, upsertMetrics, type StagedSpan } from "./upsert";

export interface IngestOptions {
  tenantId: string;
  input: Readable | AsyncIterable<string | Buffer> | Iterable<string>;
  /** Fills rows without a source; rows of any other source are skipped. */
  source?: string;
  /** Delete the tenant's metrics first (in the same transaction). */
  reset?: boolean;
}

export interface BadRow {
  line: number;
  reason: string;
}

export interface IngestReport {
  tenantId: string;
  tenantName: string;
  created: number;
  updated: number;
  skipped: number;
  /** The first MAX_REPORTED bad rows; `skipped` counts them all. */
  badRows: BadRow[];
  deleted: number;
}

/** Reported bad rows are capped so a broken 10-million-row file cannot exhaust memory. */
export const MAX_REPORTED = 100;
/** Entities remembered per level while streaming, to flag only first sightings and renames. */
const ENTITY_MEMORY = 50_000;

export class IngestError extends Error {}

export function summaryLine(report: IngestReport): string {
  return `Ingested sample metrics for tenant ${report.tenantName}: ${report.created} created, ${report.updated} updated, ${report.skipped} skipped`;
}

/** Remembers recently seen entities (bounded): only first sightings and renames are flagged. */
class EntityMemory {
  private seen = new Map<string, string>();
  private lastKey = "";
  private lastValue = "";
  changed(key: string, value: string): boolean {
    // Consecutive rows often share a parent: skip the map for an exact repeat.
    if (key === this.lastKey && value === this.lastValue) return false;
    this.lastKey = key;
    this.lastValue = value;
    if (this.seen.get(key) === value) return false;
    if (this.seen.size >= ENTITY_MEMORY) this.seen.clear();
    this.seen.set(key, value);
    return true;
  }
}

/** Validates each batch of records; bad rows are counted (and the first few kept) in `report`. */
async function* validRows(
  batches: AsyncIterator<CsvRecord[]>,
  rest: CsvRecord[],
  map: HeaderMap,
  source: string | undefined,
  report: IngestReport,
  span: StagedSpan,
): AsyncGenerator<MetricRow[]> {
  const campaigns = new EntityMemory();
  const adsets = new EntityMemory();
  const adsEntities = new EntityMemory();
  for (let records: CsvRecord[] | undefined = rest; records; ) {
    const rows: MetricRow[] = [];
    for (const { fields, line } of records) {
      // A line of nothing but commas is padding, not data.
      if (fields.every((f) => f.trim() === "")) continue;
      try {
        const row = parseMetricRow(fields, line, map, source);
        if (campaigns.changed(`${row.source}\0${row.campaignExternalId}`, row.campaignName)) row.fresh |= 1;
        if (row.adsetExternalId && adsets.changed(`${row.source}\0${row.adsetExternalId}`, `${row.adsetName}\0${row.campaignExternalId}`))
          row.fresh |= 2;
        if (row.adExternalId && adsEntities.changed(`${row.source}\0${row.adExternalId}`, `${row.adName}\0${row.adsetExternalId}`))
          row.fresh |= 4;
        rows.push(row);
        if (span.firstDate === "" || row.date < span.firstDate) span.firstDate = row.date;
        if (row.date > span.lastDate) span.lastDate = row.date;
      } catch (error) {
        if (!(error instanceof RowError)) throw error;
        report.skipped++;
        if (report.badRows.length < MAX_REPORTED) report.badRows.push({ line, reason: error.message });
      }
    }
    span.rows += rows.length;
    if (rows.length > 0) yield rows;
    const next = await batches.next();
    records = next.done ? undefined : next.value;
  }
}

async function tenantName(tx: Tx, tenantId: string): Promise<string> {
  const [tenant] = await tx.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, tenantId));
  if (!tenant) throw new IngestError(`Tenant ${tenantId} does not exist.`);
  return tenant.name;
}

export async function ingestMetrics(options: IngestOptions): Promise<IngestReport> {
  const { kind } = await database();
  const report: IngestReport = { tenantId: options.tenantId, tenantName: "", created: 0, updated: 0, skipped: 0, badRows: [], deleted: 0 };
  const batches = readCsv(options.input)[Symbol.asyncIterator]();
  const first = await batches.next();

  return withTenant(options.tenantId, async (tx) => {
    report.tenantName = await tenantName(tx, options.tenantId);
    if (options.reset) {
      const [deleted] = rowsOf<{ n: number }>(
        await tx.execute(sql`with d as (delete from ${dailyMetrics} where ${dailyMetrics.tenantId} = ${options.tenantId} returning 1)
                             select count(*)::int as n from d`),
      );
      report.deleted = Number(deleted?.n ?? 0);
    }
    if (first.done) return report;
    const [header, ...rest] = first.value;
    const { map, missing } = mapHeader(header!.fields, options.source !== undefined);
    if (missing.length > 0) throw new IngestError(`The CSV header is missing required column(s): ${missing.join(", ")}.`);

    // Sorting and hashing a few million staged rows wants more than the 4 MB default.
    await tx.execute(sql`select set_config('work_mem', '256MB', true)`);
    await createStagingTable(tx);
    const span: StagedSpan = { rows: 0, firstDate: "", lastDate: "" };
    const rows = validRows(batches, rest, map, options.source, report, span);
    if (kind === "postgres") await copyIntoStaging(tx, rows);
    else await insertIntoStaging(tx, rows);
    if (span.rows === 0) return report;

    await upsertEntities(tx, options.tenantId);
    report.created = await upsertMetrics(tx, options.tenantId, span);
    // A row for a key that already existed, or that repeats a key earlier in the file, updates it.
    report.updated = span.rows - report.created;
    return report;
  });
}
