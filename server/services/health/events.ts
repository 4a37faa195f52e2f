/**
 * Connection events: written in the transaction of the state change that causes them, with one
 * webhook delivery row per subscribed active endpoint in the same statement batch (so an event
 * and its deliveries exist together or not at all). `GET /api/events/` reads them.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Tx } from "../../db/client";
import { rowsOf } from "../../db/rows";
import { connectionEvents, EVENT_TYPES, type EventType } from "../../db/schema";
import { withTenant } from "../../db/tenant";
import { env } from "../../env";
import { requireRole, type Principal } from "../accounts/principal";
import { fromWindowed, offsetOf, type Page, type PageRequest } from "../pagination";
import type { AfterCommit } from "./after-commit";
import { queueDeliveries } from "./webhooks/dispatch";

export interface NewEvent {
  type: EventType;
  provider: string;
  credentialId?: string | null;
  connectionRowId?: string | null;
  data: Record<string, unknown>;
}

/** Inserts the event and its webhook deliveries; queues the deliveries after commit. */
export async function recordEvent(tx: Tx, tenantId: string, event: NewEvent, after?: AfterCommit): Promise<string> {
  const [row] = await tx
    .insert(connectionEvents)
    .values({
      tenantId,
      type: event.type,
      provider: event.provider,
      credentialId: event.credentialId ?? null,
      connectionRowId: event.connectionRowId ?? null,
      data: event.data,
      // Not now(): events of one transaction (sync.succeeded, then connection.recovered) keep their order.
      createdAt: sql`clock_timestamp()`,
    })
    .returning({ id: connectionEvents.id });
  const windowSeconds = env().WEBHOOK_RETRY_WINDOW_MS / 1000;
  const deliveries = rowsOf<{ id: string }>(
    await tx.execute(sql`
      insert into webhook_deliveries (tenant_id, endpoint_id, event_id, event_type, give_up_at)
      select tenant_id, id, ${row!.id}::uuid, ${event.type}, now() + make_interval(secs => ${windowSeconds})
      from webhook_endpoints
      where tenant_id = ${tenantId}::uuid and is_active and (cardinality(events) = 0 or ${event.type} = any(events))
      returning id`),
  ).map((d) => d.id);
  if (deliveries.length > 0) after?.add("queue webhook deliveries", () => queueDeliveries(tenantId, deliveries));
  return row!.id;
}

export const eventView = (row: Pick<typeof connectionEvents.$inferSelect, "id" | "type" | "createdAt" | "data">) => ({
  id: row.id,
  type: row.type,
  created_at: row.createdAt.toISOString(),
  data: row.data,
});
export type EventView = ReturnType<typeof eventView>;

export const eventFilterInput = z.object({
  type: z.enum(EVENT_TYPES, { error: (issue) => `"${String(issue.input)}" is not a valid choice.` }).optional(),
  provider: z.string().max(32).optional(),
});
export type EventFilter = z.output<typeof eventFilterInput>;

/** `GET /api/events/` (ADMIN, ANALYST): newest first, one statement (count as a window). */
export async function listEvents(principal: Principal, filter: EventFilter, page: PageRequest): Promise<Page<EventView>> {
  requireRole(principal, "ADMIN", "ANALYST");
  const rows = await withTenant(principal.tenantId, (tx) =>
    tx
      .select({ id: connectionEvents.id, type: connectionEvents.type, createdAt: connectionEvents.createdAt, data: connectionEvents.data, total: sql<number>`count(*) over ()` })
      .from(connectionEvents)
      .where(
        and(
          eq(connectionEvents.tenantId, principal.tenantId),
          filter.type ? eq(connectionEvents.type, filter.type) : undefined,
          filter.provider ? eq(connectionEvents.provider, filter.provider) : undefined,
        ),
      )
      .orderBy(desc(connectionEvents.createdAt), desc(connectionEvents.id))
      .limit(page.pageSize)
      .offset(offsetOf(page)),
  );
  const result = fromWindowed(page, rows);
  return { ...result, results: result.results.map(eventView) };
}
