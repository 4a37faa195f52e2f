/**
 * Work a process must finish before it exits (e.g. buffered audit rows). Kept on globalThis
 * because the web server entry (server/cli/serve.ts) and Next's route bundles are separate module
 * graphs in one process: a hook registered from a route must be visible to the entry's SIGTERM.
 */
type Hook = () => Promise<void>;
const holder = globalThis as unknown as { __adinsightsShutdownHooks?: Set<Hook> };
const hooks = (holder.__adinsightsShutdownHooks ??= new Set<Hook>());

export function onShutdown(hook: Hook): void {
  hooks.add(hook);
}

/** Runs every hook once, each bounded by `timeoutMs`; failures are swallowed (we are exiting). */
export async function runShutdownHooks(timeoutMs = 5_000): Promise<void> {
  const running = [...hooks].map((hook) =>
    Promise.race([hook().catch(() => undefined), new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref())]),
  );
  hooks.clear();
  await Promise.all(running);
}
