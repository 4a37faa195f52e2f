/**
 * `npm run isolate-warehouse`: moves every Airbyte connection still writing to the destination's
 * shared schema into its tenant's own namespace, with its provider/account table prefix
 * (api.md §0.15). Run it once after upgrading; it is idempotent.
 */
import { parseArgs } from "node:util";
import { closeDatabase } from "../db/client";
import { assertEnvOrExit } from "../env";
import { airbyteConfigured } from "../infra/airbyte/client";
import { isolateWarehouse } from "../services/connectors/isolate-warehouse";

const USAGE = `usage: npm run isolate-warehouse -- [--dry-run] [--concurrency N]

Every Airbyte connection gets namespaceDefinition "customformat" with its tenant's namespace
(adinsights_<tenant id>) and a stream prefix of its provider and account, so no two tenants and no
two accounts write the same warehouse tables. Connections already in place are skipped.
--dry-run lists what would move. Exit status 1 if a connection could not be updated.

The tables the old placement wrote in the destination's default schema are left as they are: they
may hold rows of several tenants mixed together. Drop them once every connection has re-synced.`;

const { values } = parseArgs({
  options: { help: { type: "boolean" }, "dry-run": { type: "boolean" }, concurrency: { type: "string", default: "4" } },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
assertEnvOrExit();
const concurrency = Number(values.concurrency);
if (!Number.isInteger(concurrency) || concurrency < 1) {
  console.error("--concurrency must be a positive integer");
  process.exit(2);
}
if (!airbyteConfigured() && !values["dry-run"]) {
  console.error("AIRBYTE_API_URL is not set: nothing can be moved (use --dry-run to list the connections).");
  process.exit(2);
}

const summary = await isolateWarehouse({
  dryRun: values["dry-run"],
  concurrency,
  onConnection: (c, outcome) => {
    const where = `${c.namespace}.${c.prefix}*`;
    if (outcome instanceof Error) console.error(`connection ${c.connectionId} (tenant ${c.tenantId}): failed (${outcome.message})`);
    else console.log(`connection ${c.connectionId} (tenant ${c.tenantId}): ${outcome} → ${where}`);
  },
});
console.log(
  `isolate-warehouse: connections=${summary.connections} already_isolated=${summary.alreadyIsolated} moved=${summary.moved} failed=${summary.failed}${values["dry-run"] ? " (dry run)" : ""}`,
);
await closeDatabase();
process.exit(summary.failed > 0 ? 1 : 0);
