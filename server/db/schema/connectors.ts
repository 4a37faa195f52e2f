import { and, eq, lte, or, sql } from "drizzle-orm";
import { bigint, boolean, foreignKey, index, integer, pgTable, text, unique, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { createdAt, id, tenantId, ts, updatedAt } from "./columns";
import { tenants } from "./tenants";
import { users } from "./users";

/**
 * One OAuth round trip in flight. The state is stored hashed (the plain value exists only in the
 * authorize URL and the callback), single-use (`used_at`) and short-lived (`expires_at`).
 */
export const oauthStates = pgTable(
  "oauth_states",
  {
    id: id(),
    tenantId: tenantId().references(() => tenants.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull(),
    provider: varchar("provider", { length: 32 }).notNull(),
    stateHash: varchar("state_hash", { length: 64 }).notNull(),
    // PKCE verifier (Google). Useless without the code and the client secret; gone after 10 minutes.
    codeVerifier: varchar("code_verifier", { length: 128 }),
    redirectUri: text("redirect_uri").notNull(),
    returnPath: text("return_path").notNull().default("/dashboards/data-sources"),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("oauth_states_hash_key").on(t.stateHash),
    foreignKey({ columns: [t.userId, t.tenantId], foreignColumns: [users.id, users.tenantId] }).onDelete("cascade"),
    index("oauth_states_expires_idx").on(t.expiresAt),
  ],
);

/** Our record of an Airbyte connection (and its source) for one tenant's provider account. */
export const airbyteConnections = pgTable(
  "airbyte_connections",
  {
    id: id(),
    tenantId: tenantId().references(() => tenants.id, { onDelete: "cascade" }),
    provider: varchar("provider", { length: 32 }).notNull(),
    accountId: varchar("account_id", { length: 255 }).notNull(),
    name: varchar("name", { length: 255 }).notNull(),
    connectionId: uuid("connection_id").notNull(),
    sourceId: uuid("source_id").notNull(),
    workspaceId: uuid("workspace_id").notNull(),
    destinationId: uuid("destination_id").notNull(),
    scheduleType: varchar("schedule_type", { length: 16 }).notNull(),
    intervalMinutes: integer("interval_minutes"),
    cronExpression: varchar("cron_expression", { length: 120 }),
    // 'airbyte': Airbyte runs the cron/interval schedule itself (our sweep only records its runs).
    // 'worker': Airbyte holds a manual schedule and our sweep starts each run. Exactly one of the
    // two ever starts a connection's scheduled runs, so nothing runs twice.
    scheduleManagedBy: varchar("schedule_managed_by", { length: 16 }).$type<"airbyte" | "worker">().notNull().default("airbyte"),
    // The next scheduled run (null for manual schedules).
    nextSyncAt: ts("next_sync_at"),
    // Where the data lands (api.md §0.15, server/services/connectors/warehouse.ts), as last sent to
    // Airbyte. Null: provisioned before tenants had namespaces of their own, still writing to the
    // destination's shared schema until `npm run isolate-warehouse` or its next provision moves it.
    namespaceFormat: varchar("namespace_format", { length: 63 }),
    streamPrefix: varchar("stream_prefix", { length: 96 }),
    isActive: boolean("is_active").notNull().default(true),
    lastSyncedAt: ts("last_synced_at"),
    lastJobId: varchar("last_job_id", { length: 64 }),
    lastJobStatus: varchar("last_job_status", { length: 16 }),
    lastJobError: text("last_job_error"),
    // Health (server/services/health/lifecycle.ts): failed runs in a row since the last success,
    // when that run of failures began, the alert raised for it (warning, paused), and why paused.
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    failingSince: ts("failing_since"),
    healthAlert: varchar("health_alert", { length: 16 }).$type<"warning" | "paused">(),
    pausedReason: text("paused_reason"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("airbyte_connections_account_key").on(t.tenantId, t.provider, t.accountId),
    index("airbyte_connections_tenant_provider_idx").on(t.tenantId, t.provider, t.updatedAt.desc()),
    // The sync sweep's "what is due" read.
    index("airbyte_connections_due_idx").on(t.nextSyncAt).where(sql`is_active`),
  ],
);

/**
 * Connections the sync sweep must look at: worker-scheduled ones whose run is due, and
 * Airbyte-scheduled ones whose run should have started `airbyteGraceMs` ago (to record it).
 */
export function syncDue(now: Date, airbyteGraceMs: number) {
  return and(
    eq(airbyteConnections.isActive, true),
    or(
      and(eq(airbyteConnections.scheduleManagedBy, "worker"), lte(airbyteConnections.nextSyncAt, now)),
      and(eq(airbyteConnections.scheduleManagedBy, "airbyte"), lte(airbyteConnections.nextSyncAt, new Date(now.getTime() - airbyteGraceMs))),
    ),
  );
}

export const SYNC_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type SyncStatus = (typeof SYNC_STATUSES)[number];

/**
 * One sync run: queued by `sync/` (trigger `manual`) or the sync sweep (`schedule`), or started by
 * Airbyte's own scheduler and recorded by the sweep (`airbyte`). The worker starts the Airbyte job
 * and returns; the sync tracker (server/services/connectors/sync-tracker.ts) follows active rows
 * whose `next_check_at` has come.
 */
export const syncJobs = pgTable(
  "sync_jobs",
  {
    id: id(),
    tenantId: tenantId().references(() => tenants.id, { onDelete: "cascade" }),
    connectionRowId: uuid("connection_row_id")
      .notNull()
      .references(() => airbyteConnections.id, { onDelete: "cascade" }),
    provider: varchar("provider", { length: 32 }).notNull(),
    status: varchar("status", { length: 16 }).$type<SyncStatus>().notNull().default("queued"),
    trigger: varchar("trigger", { length: 16 }).notNull().default("manual"),
    requestedBy: uuid("requested_by"),
    airbyteJobId: bigint("airbyte_job_id", { mode: "number" }),
    startedAt: ts("started_at"),
    finishedAt: ts("finished_at"),
    recordsSynced: bigint("records_synced", { mode: "number" }),
    bytesSynced: bigint("bytes_synced", { mode: "number" }),
    error: text("error"),
    // When the sync tracker next looks at this active row: a running row's Airbyte job (with
    // backoff: `checks` so far), a queued row's queue job (re-added if it was lost). Null once finished.
    nextCheckAt: ts("next_check_at").default(sql`now() + interval '1 minute'`),
    checks: integer("checks").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // The idempotency key: at most one queued-or-running sync per connection.
    uniqueIndex("sync_jobs_one_active_key").on(t.connectionRowId).where(sql`status in ('queued', 'running')`),
    // An Airbyte job is recorded once, however many sweeps see it.
    uniqueIndex("sync_jobs_airbyte_job_key").on(t.connectionRowId, t.airbyteJobId),
    index("sync_jobs_tenant_provider_idx").on(t.tenantId, t.provider, t.createdAt.desc()),
    // The sync tracker's "what is due" read.
    index("sync_jobs_next_check_idx").on(t.nextCheckAt).where(sql`status in ('queued', 'running')`),
  ],
);
