/**
 * Connector processors: syncs (trigger + poll an Airbyte job) and token upkeep. Thin: each calls
 * a service. On shutdown a sync being polled is handed back to the queue (delayed), so another
 * worker resumes polling the same Airbyte job; a killed worker's job is recovered as stalled.
 */
import { DelayedError, Worker, type Job } from "bullmq";
import { SYNC_QUEUE, syncPayload } from "../../server/infra/queue/sync";
import { scheduleTokenUpkeep, TOKEN_UPKEEP_QUEUE } from "../../server/infra/queue/token-upkeep";
import { queueConnection, queuePrefix } from "../../server/infra/queue/connection";
import { log } from "../../server/infra/log";
import { runSync } from "../../server/services/connectors/sync-runner";
import { refreshDueCredentials } from "../../server/services/connectors/token-upkeep";

export interface Running {
  close(): Promise<void>;
}

export async function startConnectorWorkers(name: string): Promise<Running> {
  let stopping = false;
  const common = { connection: queueConnection(), prefix: queuePrefix(), name };

  const sync = new Worker(
    SYNC_QUEUE,
    async (job: Job, token?: string) => {
      const { tenantId, syncJobId } = syncPayload.parse(job.data);
      const outcome = await runSync(tenantId, syncJobId, { stopping: () => stopping });
      if (outcome === "released") {
        await job.moveToDelayed(Date.now() + 500, token);
        throw new DelayedError();
      }
      log.info("sync finished", { sync_job_id: syncJobId, status: outcome });
      return { status: outcome };
    },
    // Short locks: a killed worker's job is picked up again within ~lockDuration.
    { ...common, concurrency: 20, lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 5 },
  );

  const upkeepQueue = await scheduleTokenUpkeep();
  const upkeep = new Worker(TOKEN_UPKEEP_QUEUE, async () => refreshDueCredentials(), { ...common, concurrency: 1 });

  for (const w of [sync, upkeep]) w.on("failed", (job, error) => log.warn("queue job failed", { queue: w.name, job_id: job?.id, error: error.message }));

  return {
    close: async () => {
      stopping = true;
      await Promise.all([sync.close(), upkeep.close()]);
      await upkeepQueue.close();
    },
  };
}
