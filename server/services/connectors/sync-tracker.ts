/**
 * The sync tracker (worker queue `sync-tracker`, every SYNC_TRACKER_INTERVAL_MS): follows every
 * active sync with short, bounded passes, so one worker follows thousands of syncs and no
 * processor waits on a remote job. Postgres is the record of what is active; the queue only
 * carries work, so a lost queue job or a killed worker loses nothing.
 *
 * One pass, while holding a try-lock (a pass already running on another worker → this one skips):
 * 1. reads the queued and running rows whose `next_check_at` has come (across tenants, oldest first);
 * 2. running rows: asks Airbyte about their jobs in whichever way takes fewer calls — a `jobs/get`
 *    per due job, or (at equal cost too) the unfinished jobs of their workspaces in pages of `jobs/list_for_workspaces`
 *    (500 a page) plus a `jobs/get` for each due job no longer listed (it ended; a 404 means it
 *    vanished → failed). A listing shows every unfinished job, so any running row it no longer
 *    shows — due or not — is looked up and recorded in the same pass: an end is recorded within a
 *    pass or two, not after the row's backoff. Calls per minute grow with the jobs that end, not
 *    with the jobs that run;
 * 3. writes per tenant in one transaction: each finished run through recordOutcome (only if the
 *    row is still running, so a run is recorded once), the others' next look with backoff
 *    (AIRBYTE_POLL_INTERVAL_MS × 1.5^checks, at most SYNC_CHECK_MAX_INTERVAL_MS);
 * 4. queued rows still queued a minute after they were written (their queue job was lost when
 *    Redis lost its data, or gave up while the database was down): put back on the queue
 *    (enqueueSync re-adds a missing job and retries a failed one; a live one is left alone).
 * Airbyte unreachable: the rows stay running and are looked at again after their backoff. A killed
 * worker: the lock dies with its database connection; the rows are still due and the next pass, on
 * any worker, takes them.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { syncJobs } from "../../db/schema";
import { countRunningSyncs, runningSyncsIn, syncsDueForCheck } from "../../db/system";
import { database } from "../../db/client";
import { env } from "../../env";
import * as airbyte from "../../infra/airbyte/client";
import { log } from "../../infra/log";
import { withTimeout } from "../deadline";
import { AppError } from "../errors";
import { withTenantThen } from "../health/after-commit";
import { runPool } from "../run-pool";
import { isTerminal, outcomeOf, recordOutcome, type Outcome } from "./sync-runner";
import { enqueueSync } from "./sync";

type DueRow = Awaited<ReturnType<typeof syncsDueForCheck>>[number];

export interface TrackerSummary {
  /** False when another worker's pass held the lock. */
  ran: boolean;
  due: number;
  finished: number;
  stillRunning: number;
  /** Rows Airbyte could not tell us about this time (unreachable): looked at again after backoff. */
  unknown: number;
  requeued: number;
  airbyteCalls: number;
}

/** Rows one pass takes; more are simply due on the next pass. */
const PASS_LIMIT = 10_000;
const LOOKUP_CONCURRENCY = 8;
const TENANT_CONCURRENCY = 4;
/** A queued row is re-queued this long after its last look, doubling up to QUEUED_MAX_MS. */
const QUEUED_RECHECK_MS = 60_000;
const QUEUED_MAX_MS = 15 * 60_000;
const REQUEUE_WAIT_MS = 5_000;

const VANISHED: Omit<Outcome, "airbyteJobId"> = { status: "failed", error: "The Airbyte job no longer exists.", recordsSynced: null, bytesSynced: null };

/** What a pass learned about one Airbyte job. */
type Look = { job: airbyte.AirbyteJob } | { vanished: true } | { unknown: true };

/** Delay before the next look at a running row that has been looked at `checks` times. */
export function nextCheckDelayMs(checks: number): number {
  const e = env();
  return Math.min(e.AIRBYTE_POLL_INTERVAL_MS * 1.5 ** checks, e.SYNC_CHECK_MAX_INTERVAL_MS);
}

export async function followActiveSyncs(): Promise<TrackerSummary> {
  const { tryWithAdvisoryLock } = await database();
  const pass = await tryWithAdvisoryLock("sync-tracker", trackerPass);
  if (pass.ran) return pass.value;
  return { ran: false, due: 0, finished: 0, stillRunning: 0, unknown: 0, requeued: 0, airbyteCalls: 0 };
}

async function trackerPass(): Promise<TrackerSummary> {
  const due = await syncsDueForCheck(PASS_LIMIT);
  const summary: TrackerSummary = { ran: true, due: due.length, finished: 0, stillRunning: 0, unknown: 0, requeued: 0, airbyteCalls: 0 };
  if (due.length === 0) return summary;
  const running = due.filter((r) => r.status === "running" && r.airbyteJobId !== null);
  const looks: Looks = airbyte.airbyteConfigured() ? await lookUp(running, summary) : new Map<number, Look>();
  if (looks.listed) due.push(...(await endedBeyondDue(due, looks, summary)));

  const byTenant = new Map<string, DueRow[]>();
  for (const row of due) byTenant.set(row.tenantId, [...(byTenant.get(row.tenantId) ?? []), row]);
  const requeue: DueRow[] = [];
  await runPool([...byTenant.entries()], TENANT_CONCURRENCY, async ([tenantId, rows]) => {
    try {
      await writeTenant(tenantId, rows, looks, summary);
      requeue.push(...rows.filter((r) => r.status === "queued"));
    } catch (error) {
      // The rows stay due: the next pass tries this tenant again.
      log.warn("sync tracker could not write a tenant", { tenant_id: tenantId, error: error instanceof Error ? error.message : String(error) });
    }
  });
  // Only once the rows' next look is written, so a slow queue cannot make the next pass re-queue
  // them again. A pass never waits long for Redis: a row it could not re-queue is due again later.
  await runPool(requeue, LOOKUP_CONCURRENCY, async (row) => {
    try {
      await withTimeout(enqueueSync(row.tenantId, row.id), REQUEUE_WAIT_MS);
      summary.requeued++;
    } catch (error) {
      log.warn("sync tracker could not re-queue a sync", { sync_job_id: row.id, error: error instanceof Error ? error.message : String(error) });
    }
  });
  return summary;
}

/** The looks of one pass, by Airbyte job id; `listed` when they came from listing these workspaces. */
type Looks = Map<number, Look> & { listed?: { workspaces: string[] } };

/** One look per due running row, in as few Airbyte calls as the number of rows allows. */
async function lookUp(rows: DueRow[], summary: TrackerSummary): Promise<Looks> {
  const looks: Looks = new Map<number, Look>();
  let oneByOne = rows;
  // Listing costs a call per page of every running job (ours; other jobs in the workspaces add to
  // it), looking up costs a call per due job: list unless that takes more calls (at equal cost the
  // listing also shows which of the rows not yet due have ended).
  const pages = rows.length > 0 ? Math.ceil((await countRunningSyncs()) / airbyte.RUNNING_PAGE_SIZE) : Number.POSITIVE_INFINITY;
  if (rows.length >= pages) {
    const workspaces = [...new Set(rows.map((r) => r.workspaceId))];
    try {
      const listed = await airbyte.listRunningJobs(workspaces);
      summary.airbyteCalls += Math.floor(listed.length / airbyte.RUNNING_PAGE_SIZE) + 1;
      for (const job of listed) looks.set(job.id, { job });
      looks.listed = { workspaces };
      // Not listed: finished (or gone, or shifted off a page while it was read) — ask for it alone.
      oneByOne = rows.filter((r) => !looks.has(r.airbyteJobId!));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      log.warn("listing running airbyte jobs failed", { workspaces: workspaces.length });
      for (const row of rows) looks.set(row.airbyteJobId!, { unknown: true });
      return looks;
    }
  }
  await lookUpEach(oneByOne, looks, summary);
  return looks;
}

async function lookUpEach(rows: DueRow[], looks: Looks, summary: TrackerSummary): Promise<void> {
  await runPool(rows, LOOKUP_CONCURRENCY, async (row) => {
    const id = row.airbyteJobId!;
    summary.airbyteCalls++;
    try {
      looks.set(id, { job: await airbyte.getJob(id) });
    } catch (error) {
      if (error instanceof airbyte.AirbyteNotFound) looks.set(id, { vanished: true });
      else if (error instanceof AppError) looks.set(id, { unknown: true });
      else throw error;
    }
  });
}

/**
 * The running rows of the listed workspaces that were not due but that the listing no longer
 * shows: they ended since their last look. Each is looked up (its outcome) and joins the pass.
 */
async function endedBeyondDue(due: DueRow[], looks: Looks, summary: TrackerSummary): Promise<DueRow[]> {
  const dueIds = new Set(due.map((r) => r.id));
  const ended = (await runningSyncsIn(looks.listed!.workspaces)).filter((r) => !dueIds.has(r.id) && r.airbyteJobId !== null && !looks.has(r.airbyteJobId));
  await lookUpEach(ended, looks, summary);
  summary.due += ended.length;
  return ended;
}

async function writeTenant(tenantId: string, rows: DueRow[], looks: Map<number, Look>, summary: TrackerSummary): Promise<void> {
  const ended: { row: DueRow; outcome: Outcome }[] = [];
  const later: { row: DueRow; delayMs: number }[] = [];
  for (const row of rows) {
    if (row.status === "queued") {
      later.push({ row, delayMs: Math.min(QUEUED_RECHECK_MS * 2 ** row.checks, QUEUED_MAX_MS) });
      continue;
    }
    const look = row.airbyteJobId === null ? undefined : looks.get(row.airbyteJobId);
    if (look && "vanished" in look) ended.push({ row, outcome: { ...VANISHED, airbyteJobId: row.airbyteJobId } });
    else if (look && "job" in look && isTerminal(look.job.status)) ended.push({ row, outcome: outcomeOf(look.job) });
    else {
      if (!look || "unknown" in look) summary.unknown++;
      later.push({ row, delayMs: nextCheckDelayMs(row.checks) });
    }
  }
  // The events, e-mails and webhooks of the runs recorded here go out once the transaction commits.
  await withTenantThen(tenantId, async (tx, after) => {
    if (ended.length > 0) {
      // Only rows still running: a disconnect, or a pass that ran long on another worker, may have finished one.
      const live = await tx
        .select({ id: syncJobs.id })
        .from(syncJobs)
        .where(and(inArray(syncJobs.id, ended.map((e) => e.row.id)), eq(syncJobs.status, "running")))
        .for("update");
      const liveIds = new Set(live.map((r) => r.id));
      for (const { row, outcome } of ended) {
        if (!liveIds.has(row.id)) continue;
        await recordOutcome(tx, tenantId, row.id, row.connectionRowId, outcome, after);
        summary.finished++;
      }
    }
    if (later.length > 0) {
      const next = later.map(({ row, delayMs }) => sql`(${row.id}::uuid, ${row.status}::varchar, ${Math.round(delayMs)}::int)`);
      await tx.execute(
        sql`update ${syncJobs} set next_check_at = now() + make_interval(secs => next.delay_ms / 1000.0), checks = ${syncJobs.checks} + 1
            from (values ${sql.join(next, sql`, `)}) as next(id, status, delay_ms)
            where ${syncJobs.id} = next.id and ${syncJobs.status} = next.status`,
      );
      summary.stillRunning += later.filter((l) => l.row.status === "running").length;
    }
  });
}
