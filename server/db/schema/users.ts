import { sql } from "drizzle-orm";
import { boolean, check, foreignKey, index, integer, pgTable, text, unique, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { createdAt, id, tenantId, ts, updatedAt } from "./columns";
import { tenants } from "./tenants";

export const ROLE_NAMES = ["ADMIN", "ANALYST", "VIEWER"] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export const users = pgTable(
  "users",
  {
    id: id(),
    tenantId: tenantId().references(() => tenants.id, { onDelete: "cascade" }),
    // Stored lower-cased; unique across the platform because login needs no tenant.
    email: varchar("email", { length: 254 }).notNull(),
    username: varchar("username", { length: 150 }),
    passwordHash: text("password_hash").notNull(),
    firstName: varchar("first_name", { length: 150 }).notNull().default(""),
    lastName: varchar("last_name", { length: 150 }).notNull().default(""),
    timezone: varchar("timezone", { length: 64 }).notNull().default("America/Jamaica"),
    isActive: boolean("is_active").notNull().default(true),
    // Platform staff (the default admin and CLI users); sees every tenant in GET /api/tenants/.
    isSuperuser: boolean("is_superuser").notNull().default(false),
    passwordChangedAt: ts("password_changed_at"),
    // Bumped by a password change and by a sign-out. Access and refresh tokens and browser sessions
    // carry the version they were issued under (`ver`); an older one is refused (api.md §0.17).
    tokenVersion: integer("token_version").notNull().default(0),
    lastLoginAt: ts("last_login_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("users_email_key").on(t.email),
    // Lets child tables reference (user, tenant) together so a row can never pair a user with
    // another tenant's id.
    unique("users_id_tenant_key").on(t.id, t.tenantId),
    index("users_tenant_email_idx").on(t.tenantId, t.email),
    check("users_email_lower", sql`${t.email} = lower(${t.email})`),
  ],
);

/** The three role names; global reference data, read-only for the app. */
export const roles = pgTable("roles", {
  name: varchar("name", { length: 16 }).primaryKey(),
  description: text("description").notNull().default(""),
});

export const userRoles = pgTable(
  "user_roles",
  {
    id: id(),
    tenantId: tenantId(),
    userId: uuid("user_id").notNull(),
    role: varchar("role", { length: 16 })
      .notNull()
      .references(() => roles.name),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ columns: [t.userId, t.tenantId], foreignColumns: [users.id, users.tenantId] }).onDelete("cascade"),
    unique("user_roles_user_role_key").on(t.userId, t.role),
    index("user_roles_tenant_idx").on(t.tenantId, t.createdAt),
  ],
);

/** Refresh tokens by jti, for rotation with reuse detection (api.md §0.11). */
export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    jti: uuid("jti").primaryKey(),
    tenantId: tenantId(),
    userId: uuid("user_id").notNull(),
    // Every token issued from one login shares a family; reuse of a spent token revokes it all.
    familyId: uuid("family_id").notNull(),
    expiresAt: ts("expires_at").notNull(),
    usedAt: ts("used_at"),
    revokedAt: ts("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [
    foreignKey({ columns: [t.userId, t.tenantId], foreignColumns: [users.id, users.tenantId] }).onDelete("cascade"),
    index("refresh_tokens_user_idx").on(t.userId),
    index("refresh_tokens_family_idx").on(t.familyId),
  ],
);
