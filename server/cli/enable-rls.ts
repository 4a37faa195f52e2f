/**
 * `npm run enable-rls`: prints the SQL that creates the app role, grants it, and enables + forces
 * row-level security with the tenant policy on every tenant table. Generated from the drizzle
 * schema (server/db/rls.ts), so it always covers every table with a tenant_id column.
 * `--apply` runs it against MIGRATION_DATABASE_URL (else DATABASE_URL, else the embedded PGlite).
 */
import { parseArgs } from "node:util";
import { closeDatabase, database } from "../db/client";
import { applyRlsPostgres } from "../db/migrate";
import { rlsScript, rlsStatements } from "../db/rls";
import { assertEnvOrExit } from "../env";

const USAGE = `usage: npm run enable-rls [-- --apply]

Prints the SQL that enables and forces row-level security with the tenant policy on every tenant
table and grants the app role (adinsights_app). Review it, or apply it by hand as the table owner.

  --apply   run the SQL against MIGRATION_DATABASE_URL (else DATABASE_URL; without either, the
            embedded PGlite database in PGLITE_DATA_DIR)
  --help    show this help`;

const { values } = parseArgs({ options: { apply: { type: "boolean" }, help: { type: "boolean" } } });
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (!values.apply) {
  process.stdout.write(rlsScript());
  process.exit(0);
}

const env = assertEnvOrExit();
const url = env.MIGRATION_DATABASE_URL ?? env.DATABASE_URL;
const statements = rlsStatements();
if (url) {
  const { default: postgres } = await import("postgres");
  const client = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await applyRlsPostgres(client);
  } finally {
    await client.end({ timeout: 5 });
  }
  console.log(`row-level security applied: ${statements.length} statements (postgres)`);
} else {
  // Opening the embedded database migrates it, and the migration ends with this same script.
  await database();
  await closeDatabase();
  console.log(`row-level security applied: ${statements.length} statements (pglite at ${env.PGLITE_DATA_DIR})`);
}
