/** Runs one sync: trigger (once) and poll the Airbyte job into sync_jobs. */
import { connectorSyncQueue } from "../../server/infra/queue";
import { log } from "../../server/infra/log";
import { abandonSync, runSync } from "../../server/services/connectors/sync-runner";
import { defineProcessor } from "./define";

export const connectorSyncProcessor = defineProcessor(connectorSyncQueue, async (data, job) => {
  try {
    return { status: await runSync(data.tenantId, data.syncJobId) };
  } catch (error) {
    // Out of attempts: the row must not stay queued/running (it would block every later sync).
    if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1))
      await abandonSync(data.tenantId, data.syncJobId).catch((e: unknown) =>
        log.warn("could not record an abandoned sync", { sync_job_id: data.syncJobId, error: e instanceof Error ? e.message : String(e) }),
      );
    throw error;
  }
});
