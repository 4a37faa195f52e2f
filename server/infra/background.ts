/**
 * Work a request starts but does not wait for (e.g. a password-reset request, whose answer must not
 * depend on whether the account exists). Errors are logged, never thrown at the caller; the
 * process waits for running tasks on shutdown (SIGTERM), so a deploy does not drop them.
 */
import { log } from "./log";
import { onShutdown } from "./shutdown";

const holder = globalThis as unknown as { __adinsightsBackground?: Set<Promise<void>> };

function pending(): Set<Promise<void>> {
  if (!holder.__adinsightsBackground) {
    const tasks = new Set<Promise<void>>();
    holder.__adinsightsBackground = tasks;
    onShutdown(async () => {
      await Promise.all([...tasks]);
    });
  }
  return holder.__adinsightsBackground;
}

/** Starts `task` after the current turn of the event loop and returns at once. */
export function runInBackground(name: string, task: () => Promise<void>): void {
  const tasks = pending();
  const running: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
    .then(task)
    .catch((error: unknown) => log.error("background task failed", { task: name, error: error instanceof Error ? error.message : String(error) }))
    .finally(() => tasks.delete(running));
  tasks.add(running);
}
