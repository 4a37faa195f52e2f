import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, uuid, varchar, boolean } from "drizzle-orm/pg-core";
import { createdAt, id, tenantId, ts, updatedAt } from "./columns";
import { tenants } from "./tenants";

export const EVENT_TYPES = ["connection.needs_reauth", "connection.recovered", "sync.succeeded", "sync.failed", "connection.warning", "connection.paused"] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * What happened to a tenant's connections, written in the same transaction as the state change
 * that caused it (server/services/health/lifecycle.ts). Feeds `GET /api/events/`, the Data Sources
 * cards and webhook deliveries. `data` never holds a token.
 */
export const connectionEvents = pgTable(
  "connection_events",
  {
    id: id(),
    tenantId: tenantId().references(() => tenants.id, { onDelete: "cascade" }),
    type: varchar("type", { length: 40 }).$type<EventType>().notNull(),
    provider: varchar("provider", { length: 32 }).notNull(),
    // No foreign keys: the history outlives a disconnected credential or connection.
    credentialId: uuid("credential_id"),
    connectionRowId: uuid("connection_row_id"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("connection_events_tenant_created_idx").on(t.tenantId, t.createdAt.desc(), t.id.desc()),
    index("connection_events_connection_idx").on(t.connectionRowId, t.createdAt.desc()),
  ],
);

/** A tenant's webhook endpoint. The signing secret is vault ciphertext, shown in clear only when made. */
export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: id(),
    tenantId: tenantId().references(() => tenants.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    // Empty = every event type.
    events: text("events").array().notNull().default(sql`'{}'::text[]`),
    secretEnc: text("secret_enc").notNull(),
    isActive: boolean("is_active").notNull().default(true),
    disabledReason: text("disabled_reason"),
    // Start of the current run of failed attempts (null after any success): 3 days of it disables the endpoint.
    failingSince: ts("failing_since"),
    createdBy: uuid("created_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("webhook_endpoints_tenant_idx").on(t.tenantId, t.createdAt)],
);

export const DELIVERY_STATUSES = ["pending", "succeeded", "failed"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One event to one endpoint: written with the event (same transaction), attempted by the worker,
 * retried with exponential backoff until `give_up_at` (24 h). A redelivery is a new row.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: id(),
    tenantId: tenantId().references(() => tenants.id, { onDelete: "cascade" }),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventId: uuid("event_id")
      .notNull()
      .references(() => connectionEvents.id, { onDelete: "cascade" }),
    eventType: varchar("event_type", { length: 40 }).notNull(),
    status: varchar("status", { length: 16 }).$type<DeliveryStatus>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastStatusCode: integer("last_status_code"),
    lastError: varchar("last_error", { length: 500 }),
    // Also the claim lease while an attempt is in flight.
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    giveUpAt: ts("give_up_at").notNull(),
    redeliveryOf: uuid("redelivery_of"),
    deliveredAt: ts("delivered_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.createdAt.desc()),
    index("webhook_deliveries_due_idx").on(t.nextAttemptAt).where(sql`status = 'pending'`),
  ],
);

