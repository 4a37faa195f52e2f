/** The spec's `<Credential>`, `<Connection>` and `<Job>` shapes, built from our rows (never from Airbyte's). */
import type { airbyteConnections, platformCredentials, syncJobs } from "../../db/schema";

type ConnectionRow = typeof airbyteConnections.$inferSelect;
type JobRow = typeof syncJobs.$inferSelect;
type CredentialRow = typeof platformCredentials.$inferSelect;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function connectionView(row: ConnectionRow) {
  return {
    id: row.id,
    name: row.name,
    connection_id: row.connectionId,
    workspace_id: row.workspaceId,
    provider: row.provider,
    schedule_type: row.scheduleType,
    interval_minutes: row.intervalMinutes,
    cron_expression: row.cronExpression,
    // Beyond the spec's shape (additive): who starts the scheduled runs, and when ours is next due.
    schedule_managed_by: row.scheduleType === "manual" ? null : row.scheduleManagedBy,
    next_sync_at: iso(row.nextSyncAt),
    // Additive: the warehouse schema and table prefix this connection writes to (null: not yet
    // moved out of the destination's shared schema; see `npm run isolate-warehouse`).
    destination_namespace: row.namespaceFormat,
    stream_prefix: row.streamPrefix,
    is_active: row.isActive,
    last_synced_at: iso(row.lastSyncedAt),
    last_job_id: row.lastJobId,
    last_job_status: row.lastJobStatus,
    last_job_error: row.lastJobError,
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  };
}

export function jobView(job: JobRow, connection: Pick<ConnectionRow, "id" | "name" | "connectionId">) {
  const duration = job.startedAt && job.finishedAt ? Math.max(0, Math.round((job.finishedAt.getTime() - job.startedAt.getTime()) / 100) / 10) : null;
  return {
    job_id: job.id,
    airbyte_job_id: job.airbyteJobId === null ? null : String(job.airbyteJobId),
    status: job.status,
    // Beyond the spec's shape (additive): manual (sync/) or schedule (the worker's sync sweep).
    trigger: job.trigger,
    started_at: iso(job.startedAt),
    finished_at: iso(job.finishedAt),
    duration_seconds: duration,
    records_synced: job.recordsSynced,
    bytes_synced: job.bytesSynced,
    error: job.error,
    connection: { id: connection.id, name: connection.name, connection_id: connection.connectionId },
  };
}
export type JobView = ReturnType<typeof jobView>;

/** `<Credential>` of the spec: never a token. */
export function credentialView(row: CredentialRow) {
  return {
    id: row.id,
    provider: row.provider,
    account_id: row.accountId,
    account_name: row.accountName,
    granted_scopes: row.grantedScopes,
    token_status: row.tokenStatus,
    token_status_reason: row.tokenStatusReason,
    expires_at: iso(row.expiresAt),
    last_refreshed_at: iso(row.lastRefreshedAt),
    created_at: iso(row.createdAt),
    updated_at: iso(row.updatedAt),
  };
}
export type CredentialView = ReturnType<typeof credentialView>;
