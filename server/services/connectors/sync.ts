/**
 * `sync/`: one queued-or-running sync per connection. The idempotency key is the partial unique
 * index on sync_jobs (connection, active status): a second call finds the first job and returns
 * it instead of queueing another, so Airbyte never sees two jobs. The queue job id is the
 * sync_jobs id, so the queue deduplicates too.
 */
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { airbyteConnections, syncJobs } from "../../db/schema";
import { withTenant } from "../../db/tenant";
import * as airbyte from "../../infra/airbyte/client";
import { log } from "../../infra/log";
import { connectorSyncQueue, enqueue, queueFor } from "../../infra/queue";
import type { Principal } from "../accounts/principal";
import { recordAudit } from "../audit";
import { withTimeout } from "../deadline";
import { AppError, notFound } from "../errors";
import { authorize } from "./access";
import type { ProviderDef } from "./providers";

/** How long `sync/` waits for Redis to take the queue job before answering anyway. */
const ENQUEUE_WAIT_MS = 1000;

export async function requestSync(principal: Principal, provider: ProviderDef) {
  authorize(principal, "sync");
  if (!airbyte.airbyteConfigured()) throw new AppError("unavailable", airbyte.AIRBYTE_NOT_CONFIGURED);
  const result = await withTenant(principal.tenantId, async (tx) => {
    const [connection] = await tx
      .select()
      .from(airbyteConnections)
      .where(and(eq(airbyteConnections.tenantId, principal.tenantId), eq(airbyteConnections.provider, provider.slug), eq(airbyteConnections.isActive, true)))
      .orderBy(desc(airbyteConnections.updatedAt), desc(airbyteConnections.createdAt))
      .limit(1);
    if (!connection) throw notFound(`No active Airbyte connection found for provider '${provider.slug}'.`);
    const [created] = await tx
      .insert(syncJobs)
      .values({ tenantId: principal.tenantId, connectionRowId: connection.id, provider: provider.slug, trigger: "manual", requestedBy: principal.userId })
      .onConflictDoNothing({ target: syncJobs.connectionRowId, where: sql`status in ('queued', 'running')` })
      .returning();
    if (created) {
      await recordAudit(tx, {
        tenantId: principal.tenantId,
        userId: principal.userId,
        action: "integration_sync_triggered",
        resourceType: "sync_job",
        resourceId: created.id,
        metadata: { provider: provider.slug, connection_id: connection.connectionId },
      });
      return { connection, job: created, deduplicated: false };
    }
    const [active] = await tx
      .select()
      .from(syncJobs)
      .where(and(eq(syncJobs.connectionRowId, connection.id), inArray(syncJobs.status, ["queued", "running"])))
      .limit(1);
    // The active job finished between the insert and this read: report it rather than loop.
    return { connection, job: active ?? null, deduplicated: true };
  });
  if (!result.job) return requestSync(principal, provider);
  // Enqueue after commit, so the worker always finds the row. Re-enqueueing a deduplicated job is a
  // no-op. The row is the record: when Redis is down the answer does not wait for it, and the sync
  // tracker puts the row on the queue once Redis is back.
  const jobId = result.job.id;
  await withTimeout(enqueueSync(principal.tenantId, jobId), ENQUEUE_WAIT_MS).catch((error: unknown) =>
    log.warn("sync recorded but not yet queued; the sync tracker will queue it", { sync_job_id: jobId, error: error instanceof Error ? error.message : String(error) }),
  );
  return {
    provider: provider.slug,
    connection_id: result.connection.connectionId,
    job_id: result.job.id,
    status: result.job.status,
    deduplicated: result.deduplicated,
  };
}

/**
 * Puts a sync_jobs row on the queue (job id = row id, so adding it twice is a no-op). A row that is
 * still active while its queue job has failed for good (the worker could not even record the
 * failure, e.g. the database was down) would hold the connection "syncing" forever: that job is
 * retried from scratch instead. A job that is missing (Redis lost its data) is added again.
 */
export async function enqueueSync(tenantId: string, syncJobId: string): Promise<void> {
  const existing = await queueFor(connectorSyncQueue).getJob(syncJobId);
  if (existing && (await existing.isFailed())) {
    await existing.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
    return;
  }
  await enqueue(connectorSyncQueue, { tenantId, syncJobId }, { jobId: syncJobId });
}

/**
 * Drops queued syncs from the queue (their rows were already marked cancelled). A job a worker
 * already holds cannot be removed; startSync sees the cancelled row and stops on its own.
 */
export async function cancelQueuedSyncs(syncJobIds: string[]): Promise<void> {
  for (const id of syncJobIds) await queueFor(connectorSyncQueue).remove(id).catch(() => 0);
}
