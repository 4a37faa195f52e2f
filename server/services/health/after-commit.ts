/**
 * Work that must wait until the transaction that caused it has committed: sending the alert
 * e-mails it queued, queueing the webhook deliveries it wrote, pausing a connection in Airbyte.
 * Each of these is also picked up by a worker sweep (e-mail outbox, webhook sweep), so a crash
 * between commit and `run()` delays them; it never loses them.
 */
import type { Tx } from "../../db/client";
import { withTenant } from "../../db/tenant";
import { log } from "../../infra/log";

type Task = () => Promise<void>;

export class AfterCommit {
  private readonly tasks: { name: string; task: Task }[] = [];

  add(name: string, task: Task): void {
    this.tasks.push({ name, task });
  }

  /** Runs every task; failures are logged (the sweeps retry), never thrown. */
  async run(): Promise<void> {
    for (const { name, task } of this.tasks.splice(0)) {
      await task().catch((error: unknown) => log.warn("after-commit task failed", { task: name, error: error instanceof Error ? error.message : String(error) }));
    }
  }
}

/** withTenant plus the after-commit tasks its callback registered. */
export async function withTenantThen<T>(tenantId: string, fn: (tx: Tx, after: AfterCommit) => Promise<T>): Promise<T> {
  const after = new AfterCommit();
  const result = await withTenant(tenantId, (tx) => fn(tx, after));
  await after.run();
  return result;
}
