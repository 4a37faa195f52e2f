import { sql } from "drizzle-orm";
import { type AnyPgColumn, bigint, check, date, foreignKey, numeric, pgTable, primaryKey, unique, uuid, varchar } from "drizzle-orm/pg-core";
import { createdAt, id, tenantId, updatedAt } from "./columns";
import { tenants } from "./tenants";

/**
 * The advertising hierarchy pulled from the ad platforms (campaign → ad set → ad) and its daily
 * performance numbers. Entities are keyed by the platform's own id within (tenant, source); every
 * parent reference carries the tenant too, so a row can never point into another tenant.
 */
export const METRIC_LEVELS = ["campaign", "adset", "ad"] as const;
export type MetricLevel = (typeof METRIC_LEVELS)[number];

/** Columns every ad entity has: the platform's id and name within (tenant, source). */
const entityColumns = () => ({
  id: id(),
  tenantId: tenantId(),
  // The platform slug the row came from (meta_ads, google_ads, …).
  source: varchar("source", { length: 32 }).notNull(),
  externalId: varchar("external_id", { length: 255 }).notNull(),
  name: varchar("name", { length: 512 }).notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

type EntityKeyColumns = { id: AnyPgColumn; tenantId: AnyPgColumn; source: AnyPgColumn; externalId: AnyPgColumn };

/** The upsert key, plus (id, tenant) so children can reference parent and tenant together. */
const entityKeys = (table: string, t: EntityKeyColumns) => [
  unique(`${table}_tenant_source_external_key`).on(t.tenantId, t.source, t.externalId),
  unique(`${table}_id_tenant_key`).on(t.id, t.tenantId),
];

export const campaigns = pgTable(
  "campaigns",
  { ...entityColumns(), tenantId: tenantId().references(() => tenants.id, { onDelete: "cascade" }) },
  (t) => entityKeys("campaigns", t),
);

export const adSets = pgTable("ad_sets", { ...entityColumns(), campaignId: uuid("campaign_id").notNull() }, (t) => [
  foreignKey({ columns: [t.campaignId, t.tenantId], foreignColumns: [campaigns.id, campaigns.tenantId] }).onDelete("cascade"),
  ...entityKeys("ad_sets", t),
]);

export const ads = pgTable("ads", { ...entityColumns(), adSetId: uuid("ad_set_id").notNull() }, (t) => [
  foreignKey({ columns: [t.adSetId, t.tenantId], foreignColumns: [adSets.id, adSets.tenantId] }).onDelete("cascade"),
  ...entityKeys("ads", t),
]);

/**
 * One row per entity per day: a narrow fact table keyed by the platform's own ids, exactly the key
 * the ingest upserts on (no surrogate id: one index instead of two). The entity is (source, level,
 * external_id): join `campaigns`, `ad_sets` or `ads` on (tenant_id, source, external_id), which are
 * unique, for names and the hierarchy. There are deliberately no foreign keys here: Postgres
 * checks those one row at a time, which tripled the cost of a bulk load; the ingest creates every
 * entity in the same transaction, and whoever deletes a tenant deletes its metrics (see README).
 * The key starts with the date because exports arrive day by day (inserts append to the index)
 * and dashboards read date ranges.
 */
export const dailyMetrics = pgTable(
  "daily_metrics",
  {
    tenantId: tenantId(),
    date: date("date", { mode: "string" }).notNull(),
    source: varchar("source", { length: 32 }).notNull(),
    level: varchar("level", { length: 8, enum: METRIC_LEVELS }).notNull(),
    // The id of the entity the row measures, at `level`.
    externalId: varchar("external_id", { length: 255 }).notNull(),
    impressions: bigint("impressions", { mode: "number" }).notNull().default(0),
    clicks: bigint("clicks", { mode: "number" }).notNull().default(0),
    // Money is exact: numeric, never float, always with its ISO 4217 currency.
    spend: numeric("spend", { precision: 18, scale: 4 }).notNull().default("0"),
    currency: varchar("currency", { length: 3 }).notNull(),
    conversions: numeric("conversions", { precision: 18, scale: 4 }).notNull().default("0"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: "daily_metrics_pkey", columns: [t.tenantId, t.date, t.source, t.level, t.externalId] }),
    check("daily_metrics_level", sql`${t.level} in ('campaign', 'adset', 'ad')`),
    check("daily_metrics_counts", sql`${t.impressions} >= 0 and ${t.clicks} >= 0 and ${t.spend} >= 0 and ${t.conversions} >= 0`),
  ],
);
