/**
 * The one owner of credential and connection health. Every transition is a conditional UPDATE
 * (so of two racing workers only one makes it), and the event — plus, for the transitions people
 * must hear about, the alert e-mail — is written in the same transaction as the state change.
 *
 * Credential: valid → expiring (renewal failing, token running out) → refreshing (held for
 * renewal) → needs_reauth (grant rejected: Google invalid_grant, Graph 190, an Airbyte auth
 * failure) → revoked (being disconnected). Renewal failures back off (TOKEN_REFRESH_RETRY_BASE_MS,
 * doubling) for TOKEN_REFRESH_MAX_ATTEMPTS tries, then wait TOKEN_REFRESH_COOLDOWN_MS.
 *
 * Connection: consecutive failed syncs since the last success (`failing_since` = the first of
 * them); CONNECTION_WARN_* → `connection.warning` once, CONNECTION_PAUSE_* → paused here and in
 * Airbyte (`connection.paused` + e-mail). A success after failures or a re-authorization →
 * `connection.recovered`.
 */
import { and, eq, inArray, notInArray, sql } from "drizzle-orm";
import type { Tx } from "../../db/client";
import { airbyteConnections, platformCredentials, type SyncStatus } from "../../db/schema";
import { env } from "../../env";
import * as airbyte from "../../infra/airbyte/client";
import { providerOf } from "../connectors/providers";
import type { AfterCommit } from "./after-commit";
import { alertAdmins, dataSourcesLink } from "./alerts";
import { recordEvent } from "./events";

type CredentialRow = typeof platformCredentials.$inferSelect;
type ConnectionRow = typeof airbyteConnections.$inferSelect;

const labelOf = (slug: string) => providerOf(slug)?.label ?? slug;
const DAY_MS = 86_400_000;

/** Any state → needs_reauth (not from needs_reauth or revoked): event + one e-mail per incident. */
export async function markNeedsReauth(tx: Tx, tenantId: string, credentialId: string, reason: string, after?: AfterCommit): Promise<boolean> {
  const [row] = await tx
    .update(platformCredentials)
    .set({ tokenStatus: "needs_reauth", tokenStatusReason: reason, needsReauthSince: sql`now()`, refreshAttempts: 0, nextRefreshAt: null, updatedAt: sql`now()` })
    .where(and(eq(platformCredentials.id, credentialId), notInArray(platformCredentials.tokenStatus, ["needs_reauth", "revoked"])))
    .returning();
  if (!row) return false; // already in the incident (or being disconnected): no second event or e-mail
  await recordEvent(tx, tenantId, { type: "connection.needs_reauth", provider: row.provider, credentialId: row.id, data: { provider: row.provider, credential_id: row.id, reason } }, after);
  await alertAdmins(tx, tenantId, "connection_needs_reauth", { label: labelOf(row.provider), account: row.accountName || row.accountId, reason }, dataSourcesLink(), after);
  return true;
}

/** needs_reauth → valid because something proved the grant works (a new grant, a successful sync). */
async function recoverCredential(tx: Tx, credentialId: string): Promise<CredentialRow | null> {
  const [row] = await tx
    .update(platformCredentials)
    .set({ tokenStatus: "valid", tokenStatusReason: "", needsReauthSince: null, updatedAt: sql`now()` })
    .where(and(eq(platformCredentials.id, credentialId), eq(platformCredentials.tokenStatus, "needs_reauth")))
    .returning();
  return row ?? null;
}

async function announceRecovery(tx: Tx, tenantId: string, c: { provider: string; credentialId: string | null; connection?: ConnectionRow; accountLabel: string; email: boolean }, after?: AfterCommit) {
  await recordEvent(
    tx,
    tenantId,
    {
      type: "connection.recovered",
      provider: c.provider,
      credentialId: c.credentialId,
      connectionRowId: c.connection?.id ?? null,
      data: { provider: c.provider, credential_id: c.credentialId, ...(c.connection ? { connection_id: c.connection.connectionId } : {}) },
    },
    after,
  );
  if (c.email) await alertAdmins(tx, tenantId, "connection_recovered", { label: labelOf(c.provider), account: c.accountLabel }, dataSourcesLink(), after);
}

/**
 * A new grant was stored for a credential (OAuth callback). `previous` is its state before: a
 * credential that needed re-authorization has recovered (event + e-mail, closing the incident).
 */
export async function credentialGranted(tx: Tx, tenantId: string, saved: CredentialRow, previous: CredentialRow["tokenStatus"] | null, after?: AfterCommit): Promise<void> {
  if (previous !== "needs_reauth") return;
  await announceRecovery(tx, tenantId, { provider: saved.provider, credentialId: saved.id, accountLabel: saved.accountName || saved.accountId, email: true }, after);
}

/** valid | expiring | refreshing (a crashed worker's) → refreshing; null when not renewable now. */
export async function beginRenewal(tx: Tx, credentialId: string): Promise<CredentialRow | null> {
  const [row] = await tx
    .update(platformCredentials)
    .set({ tokenStatus: "refreshing", updatedAt: sql`now()` })
    .where(and(eq(platformCredentials.id, credentialId), inArray(platformCredentials.tokenStatus, ["valid", "expiring", "refreshing"])))
    .returning();
  return row ?? null;
}

/** The delay before the next renewal after `attempts` failures in a row. */
export function renewalDelayMs(attempts: number, e = env()): number {
  if (attempts % e.TOKEN_REFRESH_MAX_ATTEMPTS === 0) return e.TOKEN_REFRESH_COOLDOWN_MS;
  return e.TOKEN_REFRESH_RETRY_BASE_MS * 2 ** ((attempts % e.TOKEN_REFRESH_MAX_ATTEMPTS) - 1);
}

/** refreshing → valid | expiring after a transient failure, with the next attempt pushed back. */
export async function renewalFailed(tx: Tx, credentialId: string, state: "valid" | "expiring", reason: string): Promise<void> {
  const [row] = await tx
    .select({ attempts: platformCredentials.refreshAttempts })
    .from(platformCredentials)
    .where(eq(platformCredentials.id, credentialId));
  const attempts = (row?.attempts ?? 0) + 1;
  await tx
    .update(platformCredentials)
    .set({
      tokenStatus: state,
      tokenStatusReason: state === "expiring" ? reason : "",
      refreshAttempts: attempts,
      nextRefreshAt: new Date(Date.now() + renewalDelayMs(attempts)),
      updatedAt: sql`now()`,
    })
    .where(and(eq(platformCredentials.id, credentialId), eq(platformCredentials.tokenStatus, "refreshing")));
}

/** Disconnect: the credentials stop being used at once (upkeep and syncs skip them) while they are revoked remotely. */
export async function markRevoked(tx: Tx, credentialIds: string[]): Promise<void> {
  if (credentialIds.length === 0) return;
  await tx.update(platformCredentials).set({ tokenStatus: "revoked", updatedAt: sql`now()` }).where(inArray(platformCredentials.id, credentialIds));
}

export interface FinishedRun {
  jobId: string;
  connectionRowId: string;
  status: SyncStatus;
  error: string | null;
  recordsSynced: number | null;
  airbyteJobId: number | null;
  finishedAt: Date;
  /** The run is the connection's newest finished one (a run recorded late must not change its health). */
  latest: boolean;
  /** The failure was an authentication problem (see syncFailureNeedsReauth). */
  needsReauth: boolean;
}

/** A sync ended: `sync.*` event; for the connection's newest run, failure counting, thresholds and recovery. */
export async function syncFinished(tx: Tx, tenantId: string, run: FinishedRun, after?: AfterCommit): Promise<void> {
  if (run.status !== "succeeded" && run.status !== "failed") return;
  const [connection] = await tx.select().from(airbyteConnections).where(eq(airbyteConnections.id, run.connectionRowId));
  if (!connection) return;
  const [credential] = await tx
    .select()
    .from(platformCredentials)
    .where(and(eq(platformCredentials.tenantId, tenantId), eq(platformCredentials.provider, connection.provider), eq(platformCredentials.accountId, connection.accountId)));
  await recordEvent(
    tx,
    tenantId,
    {
      type: run.status === "succeeded" ? "sync.succeeded" : "sync.failed",
      provider: connection.provider,
      credentialId: credential?.id ?? null,
      connectionRowId: connection.id,
      data: {
        provider: connection.provider,
        connection_id: connection.connectionId,
        job_id: run.jobId,
        airbyte_job_id: run.airbyteJobId === null ? null : String(run.airbyteJobId),
        records_synced: run.recordsSynced,
        error: run.error,
      },
    },
    after,
  );
  if (!run.latest) return;
  if (run.status === "succeeded") return syncSucceeded(tx, tenantId, connection, credential ?? null, after);
  if (run.needsReauth && credential) await markNeedsReauth(tx, tenantId, credential.id, "The last sync was rejected by the provider. Reconnect the account.", after);
  await syncFailed(tx, tenantId, connection, run.finishedAt, after);
}

async function syncSucceeded(tx: Tx, tenantId: string, connection: ConnectionRow, credential: CredentialRow | null, after?: AfterCommit) {
  const recovered = credential ? await recoverCredential(tx, credential.id) : null;
  const failing = connection.consecutiveFailures > 0 || connection.healthAlert !== null;
  if (failing)
    await tx
      .update(airbyteConnections)
      .set({ consecutiveFailures: 0, failingSince: null, healthAlert: null, pausedReason: null, updatedAt: sql`${airbyteConnections.updatedAt}` })
      .where(eq(airbyteConnections.id, connection.id));
  if (!recovered && !failing) return;
  await announceRecovery(
    tx,
    tenantId,
    {
      provider: connection.provider,
      credentialId: credential?.id ?? null,
      connection,
      accountLabel: credential?.accountName || connection.accountId,
      // Mail only closes an incident people were mailed about (re-authorization, pause).
      email: recovered !== null || connection.healthAlert === "paused",
    },
    after,
  );
}

async function syncFailed(tx: Tx, tenantId: string, connection: ConnectionRow, finishedAt: Date, after?: AfterCommit) {
  const [counted] = await tx
    .update(airbyteConnections)
    .set({
      consecutiveFailures: sql`${airbyteConnections.consecutiveFailures} + 1`,
      failingSince: sql`coalesce(${airbyteConnections.failingSince}, ${finishedAt.toISOString()}::timestamptz)`,
      updatedAt: sql`${airbyteConnections.updatedAt}`,
    })
    .where(eq(airbyteConnections.id, connection.id))
    .returning();
  if (!counted || !counted.failingSince) return;
  const e = env();
  const spanDays = (finishedAt.getTime() - counted.failingSince.getTime()) / DAY_MS;
  const data = { provider: counted.provider, connection_id: counted.connectionId, consecutive_failures: counted.consecutiveFailures, since: counted.failingSince.toISOString() };
  const event = { provider: counted.provider, connectionRowId: counted.id, data };
  if (counted.healthAlert !== "paused" && counted.consecutiveFailures >= e.CONNECTION_PAUSE_FAILURES && spanDays >= e.CONNECTION_PAUSE_DAYS) {
    const reason = `Paused after ${counted.consecutiveFailures} failed syncs in a row since ${data.since}.`;
    await tx
      .update(airbyteConnections)
      .set({ isActive: false, healthAlert: "paused", pausedReason: reason, updatedAt: sql`now()` })
      .where(eq(airbyteConnections.id, counted.id));
    await recordEvent(tx, tenantId, { type: "connection.paused", ...event }, after);
    await alertAdmins(tx, tenantId, "connection_paused", { label: labelOf(counted.provider), account: counted.accountId, failures: String(counted.consecutiveFailures), since: data.since }, dataSourcesLink(), after);
    // Airbyte's own schedule must stop too; on failure the row stays paused here and the log says so.
    if (airbyte.airbyteConfigured()) after?.add("pause connection in Airbyte", async () => void (await airbyte.updateConnection({ connectionId: counted.connectionId, status: "inactive" })));
    return;
  }
  if (counted.healthAlert === null && counted.consecutiveFailures >= e.CONNECTION_WARN_FAILURES && spanDays >= e.CONNECTION_WARN_DAYS) {
    await tx.update(airbyteConnections).set({ healthAlert: "warning", updatedAt: sql`${airbyteConnections.updatedAt}` }).where(eq(airbyteConnections.id, counted.id));
    await recordEvent(tx, tenantId, { type: "connection.warning", ...event }, after);
  }
}

