/**
 * The `connector-sync` queue: one job per sync_jobs row (job id = row id, so adding it twice is a
 * no-op), processed by the worker's sync processor. Payloads carry ids only, never secrets.
 */
import { Queue } from "bullmq";
import { z } from "zod";
import { queueConnection, queuePrefix } from "./connection";

export const SYNC_QUEUE = "connector-sync";
export const syncPayload = z.object({ tenantId: z.uuid(), syncJobId: z.uuid() });
export type SyncPayload = z.infer<typeof syncPayload>;

const holder = globalThis as unknown as { __adinsightsSyncQueue?: Queue };
function queue(): Queue {
  holder.__adinsightsSyncQueue ??= new Queue(SYNC_QUEUE, {
    connection: queueConnection(),
    prefix: queuePrefix(),
    defaultJobOptions: { attempts: 5, backoff: { type: "exponential", delay: 2_000 }, removeOnComplete: 1_000, removeOnFail: 5_000 },
  });
  return holder.__adinsightsSyncQueue;
}

export async function enqueueSyncJob(payload: SyncPayload): Promise<void> {
  await queue().add("sync", syncPayload.parse(payload), { jobId: payload.syncJobId });
}

/** Removes jobs that have not started; a job a worker already holds finishes on its own. */
export async function removeSyncJobs(syncJobIds: string[]): Promise<void> {
  for (const id of syncJobIds) await queue().remove(id).catch(() => 0);
}
