/** Enqueues the due runs of worker-scheduled connections. */
import { syncSweepQueue } from "../../server/infra/queue";
import { enqueueDueSyncs } from "../../server/services/connectors/sync-sweep";
import { defineProcessor } from "./define";

export const syncSweepProcessor = defineProcessor(syncSweepQueue, async () => {
  const summary = await enqueueDueSyncs();
  // Tenants that failed stay due: failing the sweep makes BullMQ retry it with backoff.
  if (summary.failedTenants > 0) throw new Error(`sync sweep: ${summary.failedTenants} tenants could not be swept`);
  return summary;
});
