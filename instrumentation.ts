/** Runs when the Next.js server starts (Node runtime only): see server/cli/web-process.ts. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startWebProcess } = await import("./server/cli/web-process");
  await startWebProcess();
}
