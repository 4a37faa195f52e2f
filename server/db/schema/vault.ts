import { sql } from "drizzle-orm";
import { check, integer, pgTable, text, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { createdAt, tenantId, ts } from "./columns";
import { tenants } from "./tenants";

export const DATA_KEY_STATUSES = ["active", "retired"] as const;
export type DataKeyStatus = (typeof DATA_KEY_STATUSES)[number];

/**
 * A tenant's key ring: its data-encryption keys (DEKs), each stored wrapped by the KMS. The
 * highest active version encrypts; every version still decrypts (ciphertexts name theirs).
 * A version is retired once rotation has moved every stored value off it.
 */
export const tenantDataKeys = pgTable(
  "tenant_data_keys",
  {
    id: uuid("id").primaryKey().default(sql`gen_random_uuid()`),
    tenantId: tenantId().references(() => tenants.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    status: varchar("status", { length: 16 }).$type<DataKeyStatus>().notNull().default("active"),
    // Which KMS wrapped it: `local:<fingerprint>` or the AWS key ARN (needed to unwrap it).
    kmsProvider: varchar("kms_provider", { length: 16 }).notNull(),
    kmsKeyId: varchar("kms_key_id", { length: 2048 }).notNull(),
    wrappedKey: text("wrapped_key").notNull(),
    createdAt: createdAt(),
    retiredAt: ts("retired_at"),
  },
  (t) => [
    // Concurrent first use and concurrent rotations collide here; the loser re-reads.
    uniqueIndex("tenant_data_keys_tenant_version_key").on(t.tenantId, t.version),
    check("tenant_data_keys_version_positive", sql`${t.version} > 0`),
    check("tenant_data_keys_status", sql`${t.status} in ('active', 'retired')`),
  ],
);
