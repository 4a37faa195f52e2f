import { sql } from "drizzle-orm";
import { foreignKey, index, pgTable, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { createdAt, id, tenantId, ts, updatedAt } from "./columns";
import { tenants } from "./tenants";
import { roles, users } from "./users";

/**
 * Pending and accepted invitations. Only the sha256 of the token is stored; the raw token is
 * shown once (in the 201 answer and the e-mail). At most one pending invite per address and
 * tenant: re-inviting replaces it in place (new token, new expiry).
 */
export const invitations = pgTable(
  "invitations",
  {
    id: id(),
    tenantId: tenantId().references(() => tenants.id, { onDelete: "cascade" }),
    email: varchar("email", { length: 254 }).notNull(),
    role: varchar("role", { length: 16 })
      .notNull()
      .references(() => roles.name),
    tokenHash: varchar("token_hash", { length: 64 }).notNull(),
    // No foreign key: an invite outlives the admin who sent it.
    invitedBy: uuid("invited_by"),
    expiresAt: ts("expires_at").notNull(),
    acceptedAt: ts("accepted_at"),
    acceptedUserId: uuid("accepted_user_id"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("invitations_token_hash_key").on(t.tokenHash),
    uniqueIndex("invitations_pending_email_key").on(t.tenantId, t.email).where(sql`${t.acceptedAt} is null`),
    index("invitations_tenant_created_idx").on(t.tenantId, t.createdAt),
  ],
);

/** Password-reset tokens (sha256 only), single-use and short-lived. */
export const passwordResets = pgTable(
  "password_resets",
  {
    id: id(),
    tenantId: tenantId(),
    userId: uuid("user_id").notNull(),
    tokenHash: varchar("token_hash", { length: 64 }).notNull(),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ columns: [t.userId, t.tenantId], foreignColumns: [users.id, users.tenantId] }).onDelete("cascade"),
    uniqueIndex("password_resets_token_hash_key").on(t.tokenHash),
    index("password_resets_user_idx").on(t.userId),
  ],
);
