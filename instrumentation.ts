/**
 * Runs once when the Next.js server starts: validate the environment (exit with one line naming
 * a bad variable), open the database (PGlite migrates itself; Postgres is migrated here in
 * development, by `npm run migrate` in production), and ensure the default admin.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startWebApp } = await import("./server/startup");
  await startWebApp();
}
