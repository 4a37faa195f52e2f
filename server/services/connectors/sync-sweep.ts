/**
 * The sync sweep (worker, every minute by default). For each active connection whose scheduled run
 * is due it moves `next_sync_at` to the following slot, and then:
 * - worker-scheduled: enqueues the run (sync_jobs trigger `schedule`);
 * - Airbyte-scheduled: never starts anything (Airbyte starts those itself, so no run is started
 *   twice); AIRBYTE_RUN_GRACE_MS after the slot it records the run Airbyte started (see airbyte-runs.ts).
 * Within a tenant the due rows are locked with SKIP LOCKED, and the one-active-sync index of
 * `sync_jobs` stands behind it: two sweeps at once, or a sweep racing a manual `sync/`, still give
 * one job. Scheduled runs are not audited (no person triggered them).
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { airbyteConnections, platformCredentials, syncDue, syncJobs } from "../../db/schema";
import { tenantsWithDueSyncs } from "../../db/system";
import { withTenant } from "../../db/tenant";
import { connectorSyncQueue, enqueueMany } from "../../infra/queue";
import { log } from "../../infra/log";
import { runPool } from "../run-pool";
import { recordAirbyteRuns } from "./airbyte-runs";
import { nextRunAfterDue } from "./schedule";
import { enqueueSync } from "./sync";

export interface SweepSummary {
  tenants: number;
  /** New sync jobs queued. */
  enqueued: number;
  /** Due, but a sync of the connection was already queued or running (re-enqueued, not duplicated). */
  alreadyActive: number;
  /** Due, but the account must be reconnected (or its credential is gone): the slot is skipped. */
  skipped: number;
  /** Runs Airbyte's scheduler started, newly recorded in sync_jobs. */
  airbyteRunsRecorded: number;
  failedTenants: number;
}

const TENANT_BATCH = 200;
const TENANT_CONCURRENCY = 4;
/** How long after an Airbyte-scheduled slot the sweep looks for the run (Airbyte starts it a little late). */
const AIRBYTE_RUN_GRACE_MS = 2 * 60_000;

export async function enqueueDueSyncs(now = new Date()): Promise<SweepSummary> {
  const summary: SweepSummary = { tenants: 0, enqueued: 0, alreadyActive: 0, skipped: 0, airbyteRunsRecorded: 0, failedTenants: 0 };
  // Walk tenants in id order, so a tenant that keeps failing cannot starve the ones after it.
  let after: string | undefined;
  for (;;) {
    const batch = await tenantsWithDueSyncs(syncDue(now, AIRBYTE_RUN_GRACE_MS), TENANT_BATCH, after);
    // A few tenants at a time: each is one short transaction plus queue adds.
    await runPool(batch, TENANT_CONCURRENCY, async (tenantId) => {
      summary.tenants++;
      try {
        const result = await sweepTenant(tenantId, now);
        summary.enqueued += result.enqueued;
        summary.alreadyActive += result.alreadyActive;
        summary.skipped += result.skipped;
        summary.airbyteRunsRecorded += result.airbyteRunsRecorded;
      } catch (error) {
        summary.failedTenants++;
        log.warn("sync sweep failed for a tenant", { tenant_id: tenantId, error: error instanceof Error ? error.message : String(error) });
      }
    });
    if (batch.length < TENANT_BATCH) break;
    after = batch[batch.length - 1];
  }
  return summary;
}

async function sweepTenant(tenantId: string, now: Date) {
  const planned = await withTenant(tenantId, async (tx) => {
    const due = await tx
      .select({ connection: airbyteConnections, tokenStatus: platformCredentials.tokenStatus })
      .from(airbyteConnections)
      .leftJoin(
        platformCredentials,
        and(
          eq(platformCredentials.tenantId, airbyteConnections.tenantId),
          eq(platformCredentials.provider, airbyteConnections.provider),
          eq(platformCredentials.accountId, airbyteConnections.accountId),
        ),
      )
      .where(and(eq(airbyteConnections.tenantId, tenantId), syncDue(now, AIRBYTE_RUN_GRACE_MS)))
      .for("update", { of: airbyteConnections, skipLocked: true });
    const observe = due.filter((d) => d.connection.scheduleManagedBy === "airbyte").map((d) => d.connection);
    const ours = due.filter((d) => d.connection.scheduleManagedBy === "worker");

    // A run that can only fail on its credential is not started; the status already says needs_reauth.
    const runnable = ours.filter((d) => d.tokenStatus !== null && d.tokenStatus !== "needs_reauth").map((d) => d.connection);
    const created = runnable.length
      ? await tx
          .insert(syncJobs)
          .values(runnable.map((c) => ({ tenantId, connectionRowId: c.id, provider: c.provider, trigger: "schedule" })))
          .onConflictDoNothing({ target: syncJobs.connectionRowId, where: sql`status in ('queued', 'running')` })
          .returning({ id: syncJobs.id, connectionRowId: syncJobs.connectionRowId })
      : [];
    const createdFor = new Set(created.map((j) => j.connectionRowId));
    const busy = runnable.filter((c) => !createdFor.has(c.id)).map((c) => c.id);
    // A job already active is enqueued again (a no-op when the queue holds it): this heals a job
    // whose enqueue was lost after its row committed.
    const active = busy.length
      ? await tx
          .select({ id: syncJobs.id })
          .from(syncJobs)
          .where(and(inArray(syncJobs.connectionRowId, busy), inArray(syncJobs.status, ["queued", "running"])))
      : [];

    // Every due row's next slot, in one statement.
    if (due.length > 0) {
      const moves = due.map(({ connection: c }) => sql`(${c.id}::uuid, ${nextRunAfterDue(c, c.nextSyncAt!, now)?.toISOString() ?? null}::timestamptz)`);
      await tx.execute(
        sql`update ${airbyteConnections} set next_sync_at = moved.next from (values ${sql.join(moves, sql`, `)}) as moved(id, next) where ${airbyteConnections.id} = moved.id`,
      );
    }
    return {
      created: created.map((j) => j.id),
      active: active.map((j) => j.id),
      observe,
      enqueued: created.length,
      alreadyActive: busy.length,
      skipped: ours.length - runnable.length,
    };
  });
  // After commit, so the worker always finds the row; the job id is the row id, so this is
  // idempotent. New rows go in one round trip; active ones through the healing path of enqueueSync.
  await enqueueMany(
    connectorSyncQueue,
    planned.created.map((syncJobId) => ({ payload: { tenantId, syncJobId }, options: { jobId: syncJobId } })),
  );
  for (const jobId of planned.active) await enqueueSync(tenantId, jobId);
  // The slot is already moved on: a failure here is not retried until the next expected run.
  let airbyteRunsRecorded = 0;
  for (const connection of planned.observe) airbyteRunsRecorded += await recordAirbyteRuns(tenantId, connection);
  return { ...planned, airbyteRunsRecorded };
}
