/**
 * Where a connection's synced data lands in the warehouse (api.md §0.15). Every tenant writes into
 * a namespace (schema) of its own, and every provider account into tables with a prefix of its
 * own, so no two tenants — and no two accounts of one tenant — ever write the same table. The old
 * backend sent every tenant to the destination's default schema with no prefix: one tenant's
 * overwrite sync replaced another's tables, and dedup merged their rows.
 *
 * Both values are derived from ids only (never a tenant or account name) and are already in the
 * form warehouse destinations normalise identifiers to (`[a-z0-9_]`), so the destination cannot
 * fold two of them into one.
 */
import { createHash } from "node:crypto";

export interface WarehousePlacement {
  namespaceDefinition: "customformat";
  namespaceFormat: string;
  prefix: string;
}

/** `adinsights_<tenant uuid with underscores>`: 47 characters, inside Postgres' 63-byte identifiers. */
export function tenantNamespace(tenantId: string): string {
  return `adinsights_${tenantId.toLowerCase().replace(/-/g, "_")}`;
}

const MAX_ACCOUNT_PART = 32;

/**
 * `<slug>_<account>_`, e.g. `google_ads_1234567890_` or `meta_ads_act_42_`. An account id that is
 * not already a plain identifier (a Search Console URL) is folded to one and gets 8 hex digits of
 * its SHA-256, so two ids that fold alike (`https://a-b.com/`, `https://a.b.com/`) still differ.
 */
export function streamPrefix(slug: string, accountId: string): string {
  const folded = accountId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  const exact = folded === accountId && folded.length <= MAX_ACCOUNT_PART;
  const part = exact ? folded : `${folded.slice(0, MAX_ACCOUNT_PART)}_${createHash("sha256").update(accountId).digest("hex").slice(0, 8)}`;
  return `${slug}_${part.replace(/^_+/, "")}_`;
}

/** The namespace settings sent to Airbyte on every connection create *and* update. */
export function warehousePlacement(tenantId: string, slug: string, accountId: string): WarehousePlacement {
  return { namespaceDefinition: "customformat", namespaceFormat: tenantNamespace(tenantId), prefix: streamPrefix(slug, accountId) };
}
