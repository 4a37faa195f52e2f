/**
 * Runs once when the Next.js server starts: validate the environment (exit with one line naming
 * a bad variable), open the database (PGlite migrates itself; Postgres is migrated here in
 * development, by `npm run migrate` in production), and ensure the default admin. On the embedded
 * PGlite database the worker's processors run here too (see worker/embedded.ts).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startWebApp } = await import("./server/startup");
  const { database } = await startWebApp();
  if (database === "pglite") {
    const { startEmbeddedWorker } = await import("./worker/embedded");
    const { log } = await import("./server/infra/log");
    startEmbeddedWorker().catch((error: unknown) => log.error("embedded worker failed to start", { error: error instanceof Error ? error.message : String(error) }));
  }
}
