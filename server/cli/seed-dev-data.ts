/**
 * `npm run seed-dev-data`: default tenant + admin, roles, and sample campaigns/ad sets/ads/metrics
 * (server/services/devdata/seed.ts). Refuses (exit 0) outside development unless
 * ALLOW_DEFAULT_ADMIN is truthy.
 */
import { parseArgs } from "node:util";
import { closeDatabase } from "../db/client";
import { startDevCommand } from "./dev-command";
import { summaryLine } from "../services/devdata/ingest";
import { SAMPLE_DAYS, seedDevData } from "../services/devdata/seed";

const USAGE = `usage: npm run seed-dev-data

Creates the default tenant and admin (DJANGO_DEFAULT_TENANT_ID/_NAME, DJANGO_DEFAULT_ADMIN_EMAIL/
_USERNAME/_PASSWORD, or their DEFAULT_ADMIN_* aliases), checks the roles, and loads ${SAMPLE_DAYS} days of
sample campaigns, ad sets, ads and daily metrics. Safe to run again: nothing is duplicated and an
existing password is never reset. Runs only with NODE_ENV=development or ALLOW_DEFAULT_ADMIN truthy.

  --help    show this help`;

const { values } = parseArgs({ options: { help: { type: "boolean" } } });
startDevCommand(USAGE, values.help);

try {
  const report = await seedDevData();
  if (report.admin === "refused") {
    console.error("Refusing to create the default admin with the default password in production: set DJANGO_DEFAULT_ADMIN_PASSWORD.");
    process.exitCode = 1;
  } else {
    console.log(
      report.admin === "created"
        ? `Created tenant ${report.tenantId} and admin ${report.adminEmail} (role ADMIN).`
        : `Admin ${report.adminEmail} already exists in tenant ${report.tenantId}; password left unchanged.`,
    );
    if (report.adminRoleAdded) console.log(`Granted ADMIN to ${report.adminEmail}.`);
    console.log(`Roles available: ${report.roles.join(", ") || "none (run npm run migrate)"}.`);
    if (report.metrics) console.log(summaryLine(report.metrics));
  }
} finally {
  await closeDatabase();
}
