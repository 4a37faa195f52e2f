/**
 * Stores a platform credential through the vault, in-process (the connect flow that does this
 * over HTTP lives on the connectors branch). Used by tests that need encrypted rows to exist.
 */
import { randomUUID } from "node:crypto";
import { platformCredentials } from "../../server/db/schema";
import { withTenant } from "../../server/db/tenant";
import { encryptSecret } from "../../server/services/vault";

export async function seedCredential(tenantId: string, tokens = { access: `access-${randomUUID()}`, refresh: `refresh-${randomUUID()}` }) {
  const id = randomUUID();
  const where = (column: string) => ({ tenantId, table: "platform_credentials", column, rowId: id });
  await withTenant(tenantId, async (tx) => {
    await tx.insert(platformCredentials).values({
      id,
      tenantId,
      provider: "google_ads",
      accountId: `acct-${id.slice(0, 8)}`,
      accessTokenEnc: await encryptSecret(tx, where("access_token_enc"), tokens.access),
      refreshTokenEnc: await encryptSecret(tx, where("refresh_token_enc"), tokens.refresh),
    });
  });
  return { id, ...tokens };
}
