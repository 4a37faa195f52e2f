/**
 * One CSV row of the `ingest-sample-metrics` format (spec/integrations.md, CLI), validated into a
 * clean metric row or a reason it is skipped. Pure functions: no I/O, so every rule is unit-tested.
 */
import type { MetricLevel } from "../../db/schema";

export const CSV_COLUMNS = [
  "date",
  "source",
  "external_id",
  "campaign_external_id",
  "campaign_name",
  "adset_external_id",
  "adset_name",
  "ad_external_id",
  "ad_name",
  "impressions",
  "clicks",
  "spend",
  "currency",
  "conversions",
] as const;
type Column = (typeof CSV_COLUMNS)[number];

/** The old exporter's column names. */
const ALIASES: Record<string, Column> = {
  date_day: "date",
  platform: "source",
  campaign_id: "campaign_external_id",
  adset_id: "adset_external_id",
  ad_id: "ad_external_id",
};

/** Rows without a currency are Jamaican dollars, the product's home market. */
export const DEFAULT_CURRENCY = "JMD";

export interface MetricRow {
  line: number;
  date: string;
  source: string;
  externalId: string;
  level: MetricLevel;
  campaignExternalId: string;
  campaignName: string;
  adsetExternalId: string | null;
  adsetName: string | null;
  adExternalId: string | null;
  adName: string | null;
  impressions: string;
  clicks: string;
  spend: string;
  currency: string;
  conversions: string;
  /** Which of the row's entities may be new or renamed (bit 1 campaign, 2 ad set, 4 ad); set by the loader. */
  fresh: number;
}

/** Column positions for one file, resolved from its header. */
export type HeaderMap = Partial<Record<Column, number>>;

export function mapHeader(header: string[], sourceGiven: boolean): { map: HeaderMap; missing: string[] } {
  const map: HeaderMap = {};
  header.forEach((raw, index) => {
    const name = raw.trim().toLowerCase();
    const column = (CSV_COLUMNS as readonly string[]).includes(name) ? (name as Column) : ALIASES[name];
    // The canonical name wins over an alias when a file has both.
    if (column && (map[column] === undefined || name === column)) map[column] = index;
  });
  const missing: string[] = [];
  if (map.date === undefined) missing.push("date");
  if (map.campaign_external_id === undefined) missing.push("campaign_external_id");
  if (map.source === undefined && !sourceGiven) missing.push("source");
  return { map, missing };
}

const SOURCE = /^[a-z0-9_]{1,32}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const WHOLE = /^\d{1,18}$/;
const DECIMAL = /^\d{1,14}(\.\d{1,4})?$/;
const CURRENCY = /^[A-Za-z]{3}$/;
const MAX_ID = 255;
const MAX_NAME = 512;

export class RowError extends Error {}

/** Exports are grouped by day, so the last date checked is usually the next one too. */
let lastValidDate = "";

function validDate(value: string): boolean {
  if (value === lastValidDate) return true;
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return false;
  lastValidDate = value;
  return true;
}

function cell(fields: string[], map: HeaderMap, column: Column): string {
  const index = map[column];
  return index === undefined ? "" : (fields[index] ?? "").trim();
}

function whole(name: string, value: string): string {
  if (value === "") return "0";
  if (!WHOLE.test(value)) throw new RowError(`${name} "${value}" is not a whole non-negative number`);
  return value;
}

function decimal(name: string, value: string): string {
  if (value === "") return "0";
  if (!DECIMAL.test(value)) throw new RowError(`${name} "${value}" is not a non-negative decimal (at most 4 decimal places)`);
  return value;
}

// Postgres text cannot hold NUL; one such byte would otherwise fail the whole load.
const NUL = "\u0000";

function id(name: string, value: string): string {
  if (value.length > MAX_ID) throw new RowError(`${name} is longer than ${MAX_ID} characters`);
  if (value.includes(NUL)) throw new RowError(`${name} contains a NUL character`);
  return value;
}

function label(name: string, value: string, fallback: string): string {
  if (value.length > MAX_NAME) throw new RowError(`${name} is longer than ${MAX_NAME} characters`);
  if (value.includes(NUL)) throw new RowError(`${name} contains a NUL character`);
  return value === "" ? fallback : value;
}

/**
 * Validates one record. `source` is the `--source` option: it fills rows that have no source,
 * and rows naming another source are skipped (the option selects one platform's rows).
 */
export function parseMetricRow(fields: string[], line: number, map: HeaderMap, source?: string): MetricRow {
  const date = cell(fields, map, "date");
  if (date === "") throw new RowError("date is required");
  if (!validDate(date)) throw new RowError(`date "${date}" is not a valid date (YYYY-MM-DD)`);

  let rowSource = cell(fields, map, "source").toLowerCase();
  if (rowSource === "") rowSource = source ?? "";
  if (rowSource === "") throw new RowError("source is required");
  if (!SOURCE.test(rowSource)) throw new RowError(`source "${rowSource}" is not a valid source slug`);
  if (source !== undefined && rowSource !== source) throw new RowError(`source "${rowSource}" is not the selected source "${source}"`);

  const campaignExternalId = id("campaign_external_id", cell(fields, map, "campaign_external_id"));
  if (campaignExternalId === "") throw new RowError("campaign_external_id is required");
  const adsetExternalId = id("adset_external_id", cell(fields, map, "adset_external_id")) || null;
  const adExternalId = id("ad_external_id", cell(fields, map, "ad_external_id")) || null;
  if (adExternalId && !adsetExternalId) throw new RowError("adset_external_id is required when ad_external_id is set");
  const level: MetricLevel = adExternalId ? "ad" : adsetExternalId ? "adset" : "campaign";
  const externalId = id("external_id", cell(fields, map, "external_id")) || adExternalId || adsetExternalId || campaignExternalId;

  const currency = cell(fields, map, "currency");
  if (currency !== "" && !CURRENCY.test(currency)) throw new RowError(`currency "${currency}" is not a 3-letter ISO 4217 code`);

  return {
    line,
    date,
    source: rowSource,
    externalId,
    level,
    campaignExternalId,
    campaignName: label("campaign_name", cell(fields, map, "campaign_name"), campaignExternalId),
    adsetExternalId,
    adsetName: adsetExternalId ? label("adset_name", cell(fields, map, "adset_name"), adsetExternalId) : null,
    adExternalId,
    adName: adExternalId ? label("ad_name", cell(fields, map, "ad_name"), adExternalId) : null,
    impressions: whole("impressions", cell(fields, map, "impressions")),
    clicks: whole("clicks", cell(fields, map, "clicks")),
    spend: decimal("spend", cell(fields, map, "spend")),
    currency: currency === "" ? DEFAULT_CURRENCY : currency.toUpperCase(),
    conversions: decimal("conversions", cell(fields, map, "conversions")),
    fresh: 0,
  };
}
