import { index, jsonb, pgTable, uuid, varchar } from "drizzle-orm/pg-core";
import { tenants } from "./tenants";
import { createdAt, id, tenantId } from "./columns";

/**
 * Append-only record of who did what. Written in the same transaction as the change it
 * records; metadata never holds secrets (see server/services/audit.ts for the event names).
 */
export const auditLogs = pgTable(
  "audit_logs",
  {
    id: id(),
    tenantId: tenantId().references(() => tenants.id, { onDelete: "cascade" }),
    // No foreign key: the trail must outlive a deleted user.
    userId: uuid("user_id"),
    action: varchar("action", { length: 64 }).notNull(),
    resourceType: varchar("resource_type", { length: 64 }).notNull().default(""),
    resourceId: varchar("resource_id", { length: 255 }).notNull().default(""),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index("audit_logs_tenant_created_idx").on(t.tenantId, t.createdAt.desc())],
);
