/**
 * The worker side of a sync: start the Airbyte job (once) and record it, then return — no
 * processor waits on a remote job. The sync tracker (sync-tracker.ts) follows running jobs to
 * their end and writes the outcome with `recordOutcome`: status, timings, records and bytes in
 * `sync_jobs`, and `needs_reauth` on the credential when the failure is an authentication problem.
 * Safe to re-run after a crash: a row that already has an Airbyte job id is never started twice.
 */
import { and, eq, gt, inArray, ne, notExists, sql } from "drizzle-orm";
import { airbyteConnections, syncJobs, type SyncStatus } from "../../db/schema";
import type { Tx } from "../../db/client";
import { isDatabaseUnavailable } from "../../db/errors";
import { withTenant } from "../../db/tenant";
import { env } from "../../env";
import * as airbyte from "../../infra/airbyte/client";
import { AppError } from "../errors";
import { withTenantThen, type AfterCommit } from "../health/after-commit";
import { syncFinished } from "../health/lifecycle";
import { syncFailureNeedsReauth } from "./providers";

const TERMINAL: SyncStatus[] = ["succeeded", "failed", "cancelled"];
/** Airbyte's clock and ours may differ a little: a job that started this much before the request still counts as its own. */
const ADOPT_CLOCK_SKEW_S = 5;

function ourStatus(status: airbyte.AirbyteJob["status"]): SyncStatus {
  if (status === "pending" || status === "running" || status === "incomplete") return "running";
  return status;
}

/**
 * Starts a queued sync: adopts the job Airbyte is already running for the connection, or triggers
 * one, and records it as running with its first check due after AIRBYTE_POLL_INTERVAL_MS. Returns
 * at once; a row that is finished, or already started, is left as it is.
 */
export async function startSync(tenantId: string, syncJobId: string): Promise<SyncStatus> {
  const loaded = await withTenant(tenantId, async (tx) => {
    const [row] = await tx
      .select({ job: syncJobs, connection: airbyteConnections })
      .from(syncJobs)
      .innerJoin(airbyteConnections, eq(airbyteConnections.id, syncJobs.connectionRowId))
      .where(eq(syncJobs.id, syncJobId));
    return row ?? null;
  });
  if (!loaded) return "cancelled";
  const { job, connection } = loaded;
  if (TERMINAL.includes(job.status)) return job.status;
  // Started already (a retried or stalled queue job, or a run Airbyte's scheduler started): the tracker follows it.
  if (job.airbyteJobId !== null) return job.status;

  let started: airbyte.AirbyteJob;
  try {
    // Adopted rather than started again: a job already running on the connection (started by a
    // worker that died before recording it, or by Airbyte's own schedule), or one started since
    // this sync was requested whose id could not be written (the database went away between
    // trigger and record) — even if it has finished meanwhile. Airbyte never runs a sync twice.
    const recent = await unrecordedJobs(tenantId, connection.id, await airbyte.listJobs(connection.connectionId));
    const requestedAt = Math.floor(job.createdAt.getTime() / 1000) - ADOPT_CLOCK_SKEW_S;
    const adopt = recent.find((j) => j.status === "pending" || j.status === "running") ?? recent.find((j) => j.createdAt >= requestedAt);
    started = adopt ?? (await airbyte.triggerSync(connection.connectionId));
  } catch (error) {
    if (error instanceof AppError) {
      await finish(tenantId, job.id, connection.id, { status: "failed", error: error.detail, recordsSynced: null, bytesSynced: null, airbyteJobId: null });
      return "failed";
    }
    throw error;
  }
  // Claim only if still queued: a disconnect may have cancelled it meanwhile. An adopted job that
  // has already ended is recorded with its outcome in the same transaction.
  const claimed = await withTenantThen(tenantId, async (tx, after) => {
    const [row] = await tx
      .update(syncJobs)
      .set({
        status: "running",
        airbyteJobId: started.id,
        startedAt: sql`now()`,
        nextCheckAt: sql`now() + make_interval(secs => ${env().AIRBYTE_POLL_INTERVAL_MS / 1000})`,
        checks: 0,
        updatedAt: sql`now()`,
      })
      .where(and(eq(syncJobs.id, job.id), eq(syncJobs.status, "queued")))
      .returning({ id: syncJobs.id });
    if (row && isTerminal(started.status)) {
      const outcome = { ...outcomeOf(started), finishedAt: new Date(started.updatedAt * 1000) };
      await recordOutcome(tx, tenantId, job.id, connection.id, outcome, after);
      return outcome.status;
    }
    return row ? ("running" as const) : null;
  });
  if (!claimed) {
    if (!isTerminal(started.status)) await airbyte.cancelJob(started.id).catch(() => {});
    return "cancelled";
  }
  return claimed;
}

/** The listed Airbyte jobs no sync_jobs row of the connection holds yet (one statement). */
async function unrecordedJobs(tenantId: string, connectionRowId: string, jobs: airbyte.AirbyteJob[]): Promise<airbyte.AirbyteJob[]> {
  if (jobs.length === 0) return jobs;
  const recorded = await withTenant(tenantId, (tx) =>
    tx
      .select({ id: syncJobs.airbyteJobId })
      .from(syncJobs)
      .where(and(eq(syncJobs.connectionRowId, connectionRowId), inArray(syncJobs.airbyteJobId, jobs.map((j) => j.id)))),
  );
  const known = new Set(recorded.map((r) => r.id));
  return jobs.filter((j) => !known.has(j.id));
}

/**
 * The worker gave up on a sync (its last attempt threw `cause`): record it as failed so the
 * connection is not held "syncing" forever (the one-active-sync index would refuse every later
 * sync). A row that already finished is left alone. An unreachable database is no reason to give
 * up: the row stays queued and the sync tracker puts it back on the queue once the database answers.
 */
export async function abandonSync(tenantId: string, syncJobId: string, cause: unknown): Promise<void> {
  if (isDatabaseUnavailable(cause)) return;
  const [row] = await withTenant(tenantId, (tx) =>
    tx
      .select({ id: syncJobs.id, connectionRowId: syncJobs.connectionRowId, airbyteJobId: syncJobs.airbyteJobId })
      .from(syncJobs)
      .where(and(eq(syncJobs.id, syncJobId), inArray(syncJobs.status, ["queued", "running"]))),
  );
  if (!row) return;
  await finish(tenantId, row.id, row.connectionRowId, {
    status: "failed",
    error: "The sync could not be completed. Try again.",
    recordsSynced: null,
    bytesSynced: null,
    airbyteJobId: row.airbyteJobId,
  });
}

export interface Outcome {
  status: SyncStatus;
  error: string | null;
  recordsSynced: number | null;
  bytesSynced: number | null;
  airbyteJobId: number | null;
  /** When the run really ended (a run recorded after the fact); default: now. */
  finishedAt?: Date;
  /** The failure means the credential is dead (the connection's credential goes needs_reauth). */
  reauth?: boolean;
}

/** Our outcome of a finished Airbyte job: auth-classified failures ask for a reconnect. */
export function outcomeOf(job: airbyte.AirbyteJob): Outcome {
  const status = ourStatus(job.status);
  const failed = status === "failed";
  return {
    status,
    error: failed ? (job.failureMessage ?? "Sync failed.").slice(0, 2000) : null,
    recordsSynced: job.recordsSynced,
    bytesSynced: job.bytesSynced,
    airbyteJobId: job.id,
    reauth: failed && syncFailureNeedsReauth(job),
  };
}

export const isTerminal = (status: airbyte.AirbyteJob["status"]) => TERMINAL.includes(ourStatus(status));

function finish(tenantId: string, jobId: string, connectionRowId: string, outcome: Outcome): Promise<void> {
  return withTenantThen(tenantId, (tx, after) => recordOutcome(tx, tenantId, jobId, connectionRowId, outcome, after));
}

/**
 * Writes a finished run: the sync_jobs row, the connection's last-job fields, and its health
 * through the lifecycle (sync event, failure count, warning/pause, needs_reauth, recovery). The
 * connection's fields and health change only when no other run of the connection finished later
 * (a run recorded late must not hide a newer one). `after` carries the e-mails, webhook
 * deliveries and Airbyte pause to run once the caller's transaction commits (without it the
 * worker sweeps send them a little later).
 */
export async function recordOutcome(tx: Tx, tenantId: string, jobId: string, connectionRowId: string, outcome: Outcome, after?: AfterCommit): Promise<void> {
  const finishedAt = outcome.finishedAt ?? new Date();
  const finishedSql = sql`${finishedAt.toISOString()}::timestamptz`;
  await tx
    .update(syncJobs)
    .set({
      status: outcome.status,
      error: outcome.error,
      recordsSynced: outcome.recordsSynced,
      bytesSynced: outcome.bytesSynced,
      startedAt: sql`coalesce(${syncJobs.startedAt}, ${finishedSql})`,
      finishedAt: finishedSql,
      nextCheckAt: null,
      updatedAt: sql`now()`,
    })
    .where(eq(syncJobs.id, jobId));
  const newerRun = tx
    .select({ one: sql`1` })
    .from(syncJobs)
    .where(and(eq(syncJobs.connectionRowId, connectionRowId), ne(syncJobs.id, jobId), gt(syncJobs.finishedAt, finishedSql)));
  const [latest] = await tx
    .update(airbyteConnections)
    .set({
      lastJobId: outcome.airbyteJobId === null ? jobId : String(outcome.airbyteJobId),
      lastJobStatus: outcome.status,
      lastJobError: outcome.error,
      ...(outcome.status === "succeeded" ? { lastSyncedAt: finishedSql } : {}),
      updatedAt: sql`${airbyteConnections.updatedAt}`,
    })
    .where(and(eq(airbyteConnections.id, connectionRowId), notExists(newerRun)))
    .returning({ id: airbyteConnections.id });
  await syncFinished(
    tx,
    tenantId,
    {
      jobId,
      connectionRowId,
      status: outcome.status,
      error: outcome.error,
      recordsSynced: outcome.recordsSynced,
      airbyteJobId: outcome.airbyteJobId,
      finishedAt,
      latest: Boolean(latest),
      needsReauth: Boolean(outcome.reauth),
    },
    after,
  );
}
