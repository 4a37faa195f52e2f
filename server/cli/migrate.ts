/**
 * `npm run migrate`: applies drizzle/ migrations and the RLS/role script to MIGRATION_DATABASE_URL
 * (default DATABASE_URL). Without either it migrates the embedded PGlite database.
 */
import { assertEnvOrExit } from "../env";
import { migratePostgres } from "../db/migrate";
import { closeDatabase, database } from "../db/client";

if (process.argv.includes("--help")) {
  console.log("usage: npm run migrate\n\nApplies the schema migrations and row-level-security policies.\n" +
    "Uses MIGRATION_DATABASE_URL (the table owner), else DATABASE_URL, else the embedded PGlite in PGLITE_DATA_DIR.");
  process.exit(0);
}

const env = assertEnvOrExit();
const url = env.MIGRATION_DATABASE_URL ?? env.DATABASE_URL;
if (url) {
  const report = await migratePostgres(url);
  console.log("migrations applied (postgres)");
  if (report.connectionsOutsideTenantNamespace > 0)
    console.log(
      `${report.connectionsOutsideTenantNamespace} Airbyte connection(s) still write to the destination's shared schema: run \`npm run isolate-warehouse\` (node dist/isolate-warehouse.mjs) to move them into their tenants' namespaces.`,
    );
} else {
  await database(); // PGlite migrates on open
  await closeDatabase();
  console.log(`migrations applied (pglite at ${env.PGLITE_DATA_DIR})`);
}
