/**
 * `npm run ingest-sample-metrics`: streams a metrics CSV into one tenant
 * (server/services/devdata/ingest.ts). Refuses (exit 0) outside development unless
 * ALLOW_DEFAULT_ADMIN is truthy.
 */
import { createReadStream, existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { closeDatabase } from "../db/client";
import { startDevCommand } from "./dev-command";
import { ingestMetrics, IngestError, summaryLine } from "../services/devdata/ingest";
import { CSV_COLUMNS } from "../services/devdata/metrics-row";
import { devTenantId } from "../services/devdata/tenant";

const DEFAULT_FILE = "fixtures/sample_ingest.csv";
const USAGE = `usage: npm run ingest-sample-metrics -- [--file ${DEFAULT_FILE}] [--tenant-id ID] [--source S] [--reset]

Upserts campaigns, ad sets, ads and daily metrics from a CSV on (tenant, source, external_id, date).
Columns: ${CSV_COLUMNS.join(", ")}
(aliases: date_day, platform, campaign_id, adset_id, ad_id). Bad rows are skipped and reported by line.

  --file F        the CSV to read (default ${DEFAULT_FILE})
  --tenant-id ID  the tenant to load into (default: the default admin's tenant)
  --source S      source for rows that have none; rows of any other source are skipped
  --reset         delete the tenant's metrics first (same transaction)
  --help          show this help

Runs only with NODE_ENV=development or ALLOW_DEFAULT_ADMIN truthy.`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const { values } = parseArgs({
  options: {
    file: { type: "string", default: DEFAULT_FILE },
    "tenant-id": { type: "string" },
    source: { type: "string" },
    reset: { type: "boolean", default: false },
    help: { type: "boolean" },
  },
});
startDevCommand(USAGE, values.help);

const tenantArg = values["tenant-id"];
if (tenantArg !== undefined && !UUID.test(tenantArg)) fail(`--tenant-id must be a UUID.`);
const source = values.source?.trim().toLowerCase();
if (source !== undefined && !/^[a-z0-9_]{1,32}$/.test(source)) fail(`--source must be a source slug such as meta_ads or google_ads.`);
if (!existsSync(values.file)) fail(`No such file: ${values.file}`);

try {
  const report = await ingestMetrics({
    tenantId: tenantArg ?? (await devTenantId()),
    input: createReadStream(values.file),
    source,
    reset: values.reset,
  });
  if (values.reset) console.log(`Deleted ${report.deleted} existing metric rows for tenant ${report.tenantName}.`);
  for (const bad of report.badRows) console.error(`line ${bad.line}: ${bad.reason}`);
  if (report.skipped > report.badRows.length) console.error(`… and ${report.skipped - report.badRows.length} more skipped rows`);
  console.log(summaryLine(report));
} catch (error) {
  if (error instanceof IngestError) {
    console.error(error.message);
    process.exitCode = 1;
  } else throw error;
} finally {
  await closeDatabase();
}
