/**
 * One job per sync_jobs row: the job id is the row id, so adding it twice is a no-op. The worker
 * starts the Airbyte job, records it and is done (the sync tracker follows it from there); a killed
 * worker's job is picked up after lockDuration and adopts the job it started instead of starting a
 * second. Payloads carry ids only, never secrets.
 */
import { z } from "zod";
import { defineQueue } from "../define";

export const connectorSyncQueue = defineQueue({
  name: "connector-sync",
  payload: z.object({ tenantId: z.uuid(), syncJobId: z.uuid() }),
  jobOptions: { attempts: 5, backoff: { type: "exponential", delay: 2_000 } },
  // A job is two short Airbyte calls and two short transactions: run many at once, so a burst of
  // requests reaches Airbyte quickly.
  worker: { concurrency: 50, lockDuration: 30_000 },
});
