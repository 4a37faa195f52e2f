/**
 * What a web process does before it serves: validate the environment (exit with one line naming a
 * bad variable), open the database (PGlite migrates itself; Postgres is migrated here in
 * development, by `npm run migrate` in production), ensure the default admin, and on the embedded
 * PGlite database run the worker's processors here too (worker/embedded.ts).
 *
 * Called by the production server before it listens (server/cli/serve.ts) and by Next's
 * instrumentation hook (`next dev`, and when Next prepares in production); once per process.
 */
import { log } from "../infra/log";
import { startWebApp } from "../startup";

export async function startWebProcess(): Promise<void> {
  const { database } = await startWebApp();
  if (database === "pglite") {
    const { startEmbeddedWorker } = await import("../../worker/embedded");
    startEmbeddedWorker().catch((error: unknown) => log.error("embedded worker failed to start", { error: error instanceof Error ? error.message : String(error) }));
  }
}
