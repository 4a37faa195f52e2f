/** Reads every stored credential of some tenants back through the vault (tests of rotation). */
import { inArray } from "drizzle-orm";
import { platformCredentials, tenantDataKeys } from "../../server/db/schema";
import { withTenant } from "../../server/db/tenant";
import { decryptSecret } from "../../server/services/vault";
import { clearDataKeyCache } from "../../server/services/vault/dek-cache";

const reason = { actorUserId: null, job: "test", purpose: "verify rotation" };

/** id → {access, refresh} plaintexts, decrypted with a cold cache (so keys come from the ring). */
export async function readAllCredentials(tenantIds: string[]) {
  clearDataKeyCache();
  const out = new Map<string, { access: string | null; refresh: string | null; versions: number[] }>();
  for (const tenantId of tenantIds) {
    await withTenant(tenantId, async (tx) => {
      const rows = await tx.select().from(platformCredentials);
      for (const row of rows) {
        const open = async (column: string, value: string | null) =>
          value === null ? null : decryptSecret(tx, { tenantId, table: "platform_credentials", column, rowId: row.id }, value, reason);
        out.set(row.id, {
          access: await open("access_token_enc", row.accessTokenEnc),
          refresh: await open("refresh_token_enc", row.refreshTokenEnc),
          versions: [row.accessTokenEnc, row.refreshTokenEnc].filter((v): v is string => v !== null).map((v) => Number(v.split(":")[1])),
        });
      }
    });
  }
  return out;
}

export async function keyRings(tenantIds: string[]) {
  const rings = new Map<string, (typeof tenantDataKeys.$inferSelect)[]>();
  for (const tenantId of tenantIds) {
    const rows = await withTenant(tenantId, (tx) =>
      tx.select().from(tenantDataKeys).where(inArray(tenantDataKeys.tenantId, [tenantId])).orderBy(tenantDataKeys.version),
    );
    rings.set(tenantId, rows);
  }
  return rings;
}
