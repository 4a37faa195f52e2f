/** Starts one sync: triggers (or adopts) its Airbyte job and records it; the sync tracker follows it. */
import { connectorSyncQueue } from "../../server/infra/queue";
import { log } from "../../server/infra/log";
import { abandonSync, startSync } from "../../server/services/connectors/sync-runner";
import { defineProcessor } from "./define";

export const connectorSyncProcessor = defineProcessor(connectorSyncQueue, async (data, job) => {
  try {
    return { status: await startSync(data.tenantId, data.syncJobId) };
  } catch (error) {
    // Out of attempts: the row must not stay queued (it would block every later sync).
    if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1))
      await abandonSync(data.tenantId, data.syncJobId, error).catch((e: unknown) =>
        log.warn("could not record an abandoned sync", { sync_job_id: data.syncJobId, error: e instanceof Error ? e.message : String(e) }),
      );
    throw error;
  }
});
