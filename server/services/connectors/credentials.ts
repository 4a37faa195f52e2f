/**
 * Platform credentials: the public view, persisting a grant through the vault, and reading the
 * secrets back for a provider or Airbyte call. Tokens exist in plaintext only inside the call
 * that needs them.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import type { Tx } from "../../db/client";
import { platformCredentials } from "../../db/schema";
import { decryptSecret, encryptSecret, type DecryptReason } from "../vault";
import type { AccountSecret, ProviderDef } from "./providers";

type CredentialRow = typeof platformCredentials.$inferSelect;

const where = (tenantId: string, provider: string, accountId?: string) =>
  and(eq(platformCredentials.tenantId, tenantId), eq(platformCredentials.provider, provider), accountId ? eq(platformCredentials.accountId, accountId) : undefined);

export function listCredentials(tx: Tx, tenantId: string, provider: string, accountId?: string) {
  return tx.select().from(platformCredentials).where(where(tenantId, provider, accountId)).orderBy(desc(platformCredentials.updatedAt));
}

const location = (row: { id: string; tenantId: string }, column: "access_token_enc" | "refresh_token_enc") => ({
  tenantId: row.tenantId,
  table: "platform_credentials",
  column,
  rowId: row.id,
});

export interface PersistGrant {
  tenantId: string;
  provider: ProviderDef;
  accountId: string;
  accountName: string;
  secret: AccountSecret;
  scopes: string[];
}

/**
 * Creates or updates the (tenant, provider, account) credential in place. A Google grant without a
 * refresh token keeps the stored one. Returns the row and whether a refresh token was stored now.
 */
export async function persistGrant(tx: Tx, grant: PersistGrant): Promise<CredentialRow> {
  // The row id is part of the ciphertext's AAD, so the row must exist before encrypting.
  const [row] = await tx
    .insert(platformCredentials)
    .values({ tenantId: grant.tenantId, provider: grant.provider.slug, accountId: grant.accountId, accountName: grant.accountName })
    .onConflictDoUpdate({
      target: [platformCredentials.tenantId, platformCredentials.provider, platformCredentials.accountId],
      set: { updatedAt: sql`now()` },
    })
    .returning();
  const access = await encryptSecret(tx, location(row!, "access_token_enc"), grant.secret.accessToken);
  const refresh = grant.secret.refreshToken ? await encryptSecret(tx, location(row!, "refresh_token_enc"), grant.secret.refreshToken) : undefined;
  const [updated] = await tx
    .update(platformCredentials)
    .set({
      accountName: grant.accountName,
      accessTokenEnc: access,
      ...(refresh !== undefined ? { refreshTokenEnc: refresh } : {}),
      expiresAt: grant.secret.expiresAt === null ? null : new Date(grant.secret.expiresAt),
      tokenStatus: "valid",
      tokenStatusReason: "",
      needsReauthSince: null,
      refreshAttempts: 0,
      nextRefreshAt: null,
      grantedScopes: grant.scopes,
      lastRefreshedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(eq(platformCredentials.id, row!.id))
    .returning();
  return updated!;
}

/** The plaintext secrets of a credential, for one outbound call (each decrypt is audited by the vault). */
export async function readSecret(tx: Tx, row: CredentialRow, reason: DecryptReason): Promise<AccountSecret> {
  return {
    accessToken: row.accessTokenEnc ? await decryptSecret(tx, location(row, "access_token_enc"), row.accessTokenEnc, reason) : "",
    refreshToken: row.refreshTokenEnc ? await decryptSecret(tx, location(row, "refresh_token_enc"), row.refreshTokenEnc, reason) : null,
    expiresAt: row.expiresAt ? row.expiresAt.getTime() : null,
  };
}

/** Stores a refreshed access token (and a rotated refresh token, if the provider sent one). */
export async function storeRefreshed(tx: Tx, row: CredentialRow, secret: AccountSecret): Promise<void> {
  const access = await encryptSecret(tx, location(row, "access_token_enc"), secret.accessToken);
  const refresh = secret.refreshToken ? await encryptSecret(tx, location(row, "refresh_token_enc"), secret.refreshToken) : undefined;
  await tx
    .update(platformCredentials)
    .set({
      accessTokenEnc: access,
      ...(refresh !== undefined ? { refreshTokenEnc: refresh } : {}),
      expiresAt: secret.expiresAt === null ? null : new Date(secret.expiresAt),
      tokenStatus: "valid",
      tokenStatusReason: "",
      refreshAttempts: 0,
      nextRefreshAt: null,
      lastRefreshedAt: sql`now()`,
      updatedAt: sql`now()`,
    })
    .where(eq(platformCredentials.id, row.id));
}
