import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, uuid, varchar } from "drizzle-orm/pg-core";
import { createdAt, tenantId, ts, updatedAt } from "./columns";
import { tenants } from "./tenants";

export const EMAIL_STATUSES = ["pending", "sent", "skipped", "failed", "expired"] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/**
 * Transactional outbox for e-mail: written in the same transaction as the invite or reset, so a
 * failed send never loses it; delivered right after commit and retried by the worker.
 *
 * The message is rendered at delivery time from `template` + `params` (no secrets). The one
 * secret, the link carrying the raw token, is kept only sealed (AES-256-GCM, key derived from
 * SECRET_KEY, bound to the row id) and wiped once the row is delivered, skipped or expired.
 */
export const emailOutbox = pgTable(
  "email_outbox",
  {
    // Chosen by the app before insert: the sealed link is bound to it.
    id: uuid("id").primaryKey(),
    tenantId: tenantId().references(() => tenants.id, { onDelete: "cascade" }),
    template: varchar("template", { length: 32 }).notNull(),
    recipient: varchar("recipient", { length: 254 }).notNull(),
    params: jsonb("params").$type<Record<string, string>>().notNull().default({}),
    sealedLink: text("sealed_link"),
    status: varchar("status", { length: 16 }).$type<EmailStatus>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    // Also the claim lease: a sender pushes it forward before sending, so no two send one row.
    nextAttemptAt: ts("next_attempt_at").notNull().defaultNow(),
    // After this the link is useless: stop retrying and wipe it.
    expiresAt: ts("expires_at").notNull(),
    lastError: varchar("last_error", { length: 500 }),
    providerMessageId: varchar("provider_message_id", { length: 255 }),
    sentAt: ts("sent_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("email_outbox_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`)],
);
