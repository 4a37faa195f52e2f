/**
 * One job per sync_jobs row: the job id is the row id, so adding it twice is a no-op. The worker
 * triggers the Airbyte job and polls it; a killed worker's job is picked up after lockDuration and
 * resumes polling the same Airbyte job. Payloads carry ids only, never secrets.
 */
import { z } from "zod";
import { defineQueue } from "../define";

export const connectorSyncQueue = defineQueue({
  name: "connector-sync",
  payload: z.object({ tenantId: z.uuid(), syncJobId: z.uuid() }),
  jobOptions: { attempts: 5, backoff: { type: "exponential", delay: 2_000 } },
  // Many syncs wait on Airbyte at once; each mostly sleeps between polls.
  worker: { concurrency: 20, lockDuration: 30_000 },
});
