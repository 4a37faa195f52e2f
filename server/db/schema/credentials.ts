import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, unique, varchar } from "drizzle-orm/pg-core";
import { createdAt, id, tenantId, ts, updatedAt } from "./columns";
import { tenants } from "./tenants";

/**
 * A credential's lifecycle (server/services/health/lifecycle.ts): valid → expiring (renewal keeps
 * failing and the token runs out soon) → refreshing (a worker holds it to renew) → needs_reauth
 * (the provider rejected the grant) → revoked (a disconnect is revoking it; the row is then deleted).
 * The spec's `token_status` shows only valid | expiring | needs_reauth (see views.ts).
 */
export const TOKEN_STATUSES = ["valid", "expiring", "refreshing", "needs_reauth", "revoked"] as const;
export type TokenStatus = (typeof TOKEN_STATUSES)[number];

/**
 * One connected ad-platform account of a tenant. Tokens are vault ciphertext records
 * (server/services/vault), bound to this row's id and column; never plaintext.
 */
export const platformCredentials = pgTable(
  "platform_credentials",
  {
    id: id(),
    tenantId: tenantId().references(() => tenants.id, { onDelete: "cascade" }),
    provider: varchar("provider", { length: 32 }).notNull(),
    accountId: varchar("account_id", { length: 255 }).notNull(),
    accountName: varchar("account_name", { length: 255 }).notNull().default(""),
    accessTokenEnc: text("access_token_enc"),
    refreshTokenEnc: text("refresh_token_enc"),
    expiresAt: ts("expires_at"),
    tokenStatus: varchar("token_status", { length: 16 }).$type<TokenStatus>().notNull().default("valid"),
    tokenStatusReason: text("token_status_reason").notNull().default(""),
    grantedScopes: text("granted_scopes").array().notNull().default(sql`'{}'::text[]`),
    lastRefreshedAt: ts("last_refreshed_at"),
    // Failed renewals in a row, and when the next may run (backoff, then a cooldown).
    refreshAttempts: integer("refresh_attempts").notNull().default(0),
    nextRefreshAt: ts("next_refresh_at"),
    needsReauthSince: ts("needs_reauth_since"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique("platform_credentials_tenant_provider_account_key").on(t.tenantId, t.provider, t.accountId),
    index("platform_credentials_expires_idx").on(t.expiresAt),
  ],
);
