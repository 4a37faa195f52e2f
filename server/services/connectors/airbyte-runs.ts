/**
 * Runs that Airbyte's own scheduler started (connections with schedule_managed_by 'airbyte'). The
 * sync sweep calls this shortly after each expected run: the connection's recent Airbyte jobs that
 * we have not recorded are written to `sync_jobs` with trigger `airbyte`. Finished ones are recorded
 * with their outcome (an auth failure marks the credential needs_reauth, as for our own runs);
 * running ones are recorded running with their first check due now, and the sync tracker follows
 * them to the end like any sync. We never start a job here. The Airbyte call runs outside any DB
 * transaction.
 */
import { syncJobs, type airbyteConnections } from "../../db/schema";
import { withTenantThen } from "../health/after-commit";
import * as airbyte from "../../infra/airbyte/client";
import { log } from "../../infra/log";
import { AppError } from "../errors";
import { isTerminal, outcomeOf, recordOutcome } from "./sync-runner";

type ConnectionRow = typeof airbyteConnections.$inferSelect;

/** Airbyte timestamps are epoch seconds. */
const fromEpoch = (seconds: number) => new Date(seconds * 1000);

export async function recordAirbyteRuns(tenantId: string, connection: ConnectionRow): Promise<number> {
  let jobs: airbyte.AirbyteJob[];
  try {
    jobs = await airbyte.listJobs(connection.connectionId);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    // Not fatal: the next expected run lists the recent jobs again, these included.
    log.warn("listing airbyte jobs failed", { connection_id: connection.connectionId });
    return 0;
  }
  // Jobs from before we provisioned the connection (a reused Airbyte connection) are not ours to record.
  const since = Math.floor(connection.createdAt.getTime() / 1000);
  const candidates = jobs
    .filter((j) => j.createdAt >= since)
    .sort((a, b) => a.id - b.id)
    .map((job) => ({ job, outcome: outcomeOf(job) }));
  if (candidates.length === 0) return 0;

  return withTenantThen(tenantId, async (tx, after) => {
    // Already recorded jobs (ours, or seen by an earlier sweep) hit the (connection, Airbyte job)
    // key; a running one while another sync is active hits the one-active key and waits for a later sweep.
    const inserted = await tx
      .insert(syncJobs)
      .values(
        candidates.map(({ job, outcome }) => ({
          tenantId,
          connectionRowId: connection.id,
          provider: connection.provider,
          trigger: "airbyte",
          // Finished runs go in finished, so only a running one can meet the one-active key.
          status: outcome.status,
          airbyteJobId: job.id,
          startedAt: fromEpoch(job.createdAt),
          createdAt: fromEpoch(job.createdAt),
          // A running one is the tracker's to follow from its next pass.
          nextCheckAt: new Date(),
        })),
      )
      .onConflictDoNothing()
      .returning({ id: syncJobs.id, airbyteJobId: syncJobs.airbyteJobId });
    for (const row of inserted) {
      const { job, outcome } = candidates.find((c) => c.job.id === row.airbyteJobId)!;
      if (isTerminal(job.status)) await recordOutcome(tx, tenantId, row.id, connection.id, { ...outcome, finishedAt: fromEpoch(job.updatedAt) }, after);
    }
    return inserted.length;
  });
}
