/**
 * `npm run rotate-deks`: the weekly DEK rotation, on demand. Per tenant, in one transaction: a
 * new data key, every encrypted value re-encrypted, unused versions retired. Safe to interrupt
 * and re-run (tenants already rotated since --older-than are skipped).
 */
import { parseArgs } from "node:util";
import { closeDatabase } from "../db/client";
import { assertEnvOrExit } from "../env";
import { rotateDataKeys } from "../services/vault/rotation";

const USAGE = `usage: npm run rotate-deks -- [--tenant ID]... [--older-than ISO-TIME] [--concurrency N] [--quiet]

Rotates the data-encryption keys of every tenant (or only the --tenant ones): a new key version,
every encrypted value re-encrypted under it in one transaction per tenant, old versions retired.
Tenants whose current key is newer than --older-than (default: now) are skipped, so re-running
after an interruption with the same --older-than finishes the job.
Prints a summary: tenants, rotated, skipped, failed, values. Exit status 1 if a tenant failed.`;

const { values } = parseArgs({
  options: {
    help: { type: "boolean" },
    tenant: { type: "string", multiple: true },
    "older-than": { type: "string" },
    concurrency: { type: "string", default: "4" },
    quiet: { type: "boolean" },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
assertEnvOrExit();
const olderThan = values["older-than"] ? new Date(values["older-than"]) : new Date();
if (Number.isNaN(olderThan.getTime())) {
  console.error("--older-than must be an ISO date-time");
  process.exit(2);
}
const concurrency = Number(values.concurrency);
if (!Number.isInteger(concurrency) || concurrency < 1) {
  console.error("--concurrency must be a positive integer");
  process.exit(2);
}

const summary = await rotateDataKeys({
  olderThan,
  tenantIds: values.tenant,
  concurrency,
  onTenant: (tenantId, result) => {
    if (result instanceof Error) console.error(`tenant ${tenantId}: failed (${result.message})`);
    else if (!values.quiet) console.log(`tenant ${tenantId}: ${result.outcome}${result.toVersion ? ` v${result.toVersion}` : ""} (${result.values} values)`);
  },
});
console.log(
  `rotate-deks: tenants=${summary.tenants} rotated=${summary.rotated} skipped=${summary.skipped} failed=${summary.failed} values=${summary.values}`,
);
await closeDatabase();
process.exit(summary.failed > 0 ? 1 : 0);
