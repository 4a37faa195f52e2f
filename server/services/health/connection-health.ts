/**
 * What each Data Sources card shows about health: last success, consecutive failures, when the
 * next retry happens, the recent events, and records synced per run (the last 30 finished runs)
 * for the chart. Every provider in three statements, whatever the number of providers.
 */
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { airbyteConnections, connectionEvents, platformCredentials, syncJobs } from "../../db/schema";
import { rowsOf } from "../../db/rows";
import { withTenant } from "../../db/tenant";
import type { Principal } from "../accounts/principal";
import { PROVIDER_SLUGS, type ProviderSlug } from "../connectors/providers";
import { eventView } from "./events";

export const CHART_RUNS = 30;
export const RECENT_EVENTS = 5;

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export async function connectionHealth(principal: Principal) {
  const { tenantId } = principal;
  const data = await withTenant(tenantId, async (tx) => {
    const [connections, credentials, runs, events] = await Promise.all([
      tx.select().from(airbyteConnections).where(eq(airbyteConnections.tenantId, tenantId)).orderBy(desc(airbyteConnections.updatedAt), desc(airbyteConnections.createdAt)),
      tx
        .select({ provider: platformCredentials.provider, tokenStatus: platformCredentials.tokenStatus, nextRefreshAt: platformCredentials.nextRefreshAt, refreshAttempts: platformCredentials.refreshAttempts, needsReauthSince: platformCredentials.needsReauthSince })
        .from(platformCredentials)
        .where(and(eq(platformCredentials.tenantId, tenantId), inArray(platformCredentials.provider, [...PROVIDER_SLUGS]))),
      tx.execute(sql`
        select provider, id, status, records_synced, finished_at from (
          select provider, id, status, records_synced, finished_at,
                 row_number() over (partition by provider order by finished_at desc, id desc) as n
          from ${syncJobs} where tenant_id = ${tenantId}::uuid and status in ('succeeded', 'failed') and finished_at is not null
        ) runs where n <= ${CHART_RUNS} order by provider, finished_at, id`),
      tx.execute(sql`
        select provider, id, type, created_at, data from (
          select provider, id, type, created_at, data,
                 row_number() over (partition by provider order by created_at desc, id desc) as n
          from ${connectionEvents} where tenant_id = ${tenantId}::uuid
        ) recent where n <= ${RECENT_EVENTS} order by provider, created_at desc, id desc`),
    ]);
    return {
      connections,
      credentials,
      runs: rowsOf<{ provider: string; id: string; status: string; records_synced: string | number | null; finished_at: string | Date }>(runs),
      events: rowsOf<{ provider: string; id: string; type: string; created_at: string | Date; data: Record<string, unknown> }>(events),
    };
  });

  return PROVIDER_SLUGS.map((provider: ProviderSlug) => {
    const connection = data.connections.find((c) => c.provider === provider) ?? null;
    const renewing = data.credentials.find((c) => c.provider === provider && c.refreshAttempts > 0 && c.nextRefreshAt);
    const failing = (connection?.consecutiveFailures ?? 0) > 0;
    return {
      provider,
      last_success_at: iso(connection?.lastSyncedAt ?? null),
      consecutive_failures: connection?.consecutiveFailures ?? 0,
      failing_since: iso(connection?.failingSince ?? null),
      alert: connection?.healthAlert ?? null,
      paused_reason: connection?.pausedReason ?? null,
      // A failing token renewal retries at its backoff; a failing connection at its next scheduled run.
      next_retry_at: iso(renewing?.nextRefreshAt ?? (failing && connection?.isActive ? connection.nextSyncAt : null)),
      recent_events: data.events.filter((e) => e.provider === provider).map((e) => eventView({ id: e.id, type: e.type as never, createdAt: new Date(e.created_at), data: e.data })),
      runs: data.runs
        .filter((r) => r.provider === provider)
        .map((r) => ({ job_id: r.id, status: r.status, records_synced: r.records_synced === null ? null : Number(r.records_synced), finished_at: iso(r.finished_at) })),
    };
  });
}
export type ConnectionHealth = Awaited<ReturnType<typeof connectionHealth>>[number];
