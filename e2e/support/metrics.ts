/**
 * Runs the metrics ingest service in-process against the test database (the same app role the
 * server uses), for tests that need daily metrics and ad entities in a tenant.
 */
import { ingestMetrics, type IngestOptions } from "../../server/services/devdata/ingest";

export const METRICS_HEADER =
  "date,source,external_id,campaign_external_id,campaign_name,adset_external_id,adset_name,ad_external_id,ad_name,impressions,clicks,spend,currency,conversions";

/** Ingests CSV text (header + lines) into a tenant. */
export function ingestCsv(tenantId: string, lines: string[], options: Omit<IngestOptions, "tenantId" | "input"> = {}) {
  return ingestMetrics({ tenantId, input: [lines.map((l) => `${l}\n`).join("")], ...options });
}
