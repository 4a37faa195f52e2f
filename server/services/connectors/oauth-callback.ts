/**
 * `oauth/callback/`: step 1 checks and consumes the state, exchanges the code server-side and
 * either connects the named account, connects the only reachable one, or caches the choices
 * (encrypted) for step 2; step 2 persists the chosen account's secret only.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import { env } from "../../env";
import { oauthStates } from "../../db/schema";
import { findOAuthStateByHash } from "../../db/system";
import { withTenant } from "../../db/tenant";
import { log } from "../../infra/log";
import type { Principal } from "../accounts/principal";
import { recordAudit } from "../audit";
import { AppError, badRequest, fieldError, forbidden } from "../errors";
import { authorize } from "./access";
import { withTenantThen } from "../health/after-commit";
import { credentialGranted } from "../health/lifecycle";
import { listCredentials, persistGrant } from "./credentials";
import { credentialView } from "./views";
import { hashState, notConfigured } from "./oauth-start";
import type { AccountSecret, Grant, ProviderDef, Selectable } from "./providers";
import type { CallbackInput, SelectInput } from "./schemas";
import { storeSelection, takeSelection } from "./selection-cache";

export const STATE_INVALID = "OAuth state is invalid.";
export const STATE_EXPIRED = "OAuth state expired. Restart the connect flow.";
export const STATE_PROVIDER_MISMATCH = "OAuth state provider mismatch.";
export const STATE_OTHER_USER = "OAuth state does not match the authenticated tenant user.";
export const SELECTION_EXPIRED = "Selection expired. Restart the connect flow.";
export const NOT_AN_OPTION = "Not one of the available accounts.";

const exchangeFailed = (p: ProviderDef) => new AppError("upstream", `${p.family.name} OAuth exchange failed for this provider.`);

/**
 * The spec's checks, in order: unknown/used → expired → other provider → other user or tenant.
 * The state is consumed by the first check that passes it, so it never works twice.
 */
async function consumeState(principal: Principal, provider: ProviderDef, state: string) {
  const row = await findOAuthStateByHash(hashState(state));
  if (!row || row.usedAt) throw badRequest(STATE_INVALID);
  if (row.tenantId === principal.tenantId) {
    const [consumed] = await withTenant(principal.tenantId, (tx) =>
      tx
        .update(oauthStates)
        .set({ usedAt: sql`now()` })
        .where(and(eq(oauthStates.id, row.id), isNull(oauthStates.usedAt)))
        .returning({ id: oauthStates.id }),
    );
    if (!consumed) throw badRequest(STATE_INVALID); // a concurrent callback won the race
  }
  if (row.expiresAt.getTime() <= Date.now()) throw badRequest(STATE_EXPIRED);
  if (row.provider !== provider.slug) throw badRequest(STATE_PROVIDER_MISMATCH);
  if (row.tenantId !== principal.tenantId || row.userId !== principal.userId) throw forbidden(STATE_OTHER_USER);
  return row;
}

async function exchange(provider: ProviderDef, code: string, state: { codeVerifier: string | null; redirectUri: string }): Promise<Grant> {
  try {
    return await provider.family.exchange(code, state);
  } catch (error) {
    if (provider.family.classify(error) !== "other") throw exchangeFailed(provider);
    throw error;
  }
}

async function discover(provider: ProviderDef, secret: AccountSecret): Promise<Selectable[]> {
  try {
    return await provider.discover(secret);
  } catch (error) {
    const kind = provider.family.classify(error);
    if (kind !== "other") {
      log.warn("account discovery failed", { provider: provider.slug, kind });
      throw exchangeFailed(provider);
    }
    throw error;
  }
}

async function connect(principal: Principal, provider: ProviderDef, account: { id: string; name: string }, secret: AccountSecret, grant: Omit<Grant, "secret">) {
  const row = await withTenantThen(principal.tenantId, async (tx, after) => {
    const [previous] = await listCredentials(tx, principal.tenantId, provider.slug, account.id);
    const saved = await persistGrant(tx, {
      tenantId: principal.tenantId,
      provider,
      accountId: account.id,
      accountName: account.name,
      secret,
      scopes: grant.scopes.length > 0 ? grant.scopes : provider.scopes(env()),
    });
    await recordAudit(tx, {
      tenantId: principal.tenantId,
      userId: principal.userId,
      action: "integration_oauth_connected",
      resourceType: "platform_credential",
      resourceId: saved.id,
      metadata: { provider: provider.slug, account_id: account.id, refresh_token_received: grant.refreshTokenReceived },
    });
    // Reconnecting a credential that needed it closes the incident (event + e-mail).
    await credentialGranted(tx, principal.tenantId, saved, previous?.tokenStatus ?? null, after);
    return saved;
  });
  return {
    provider: provider.slug,
    status: "connected" as const,
    credential: credentialView(row),
    ...(provider.family.reportsRefreshToken ? { refresh_token_received: grant.refreshTokenReceived } : {}),
  };
}

export async function completeOAuth(principal: Principal, provider: ProviderDef, input: CallbackInput) {
  authorize(principal, "callback");
  if (!provider.family.oauthConfigured(env())) throw notConfigured(provider);
  const state = await consumeState(principal, provider, input.state);

  let wanted: string | undefined;
  if (input.external_account_id !== undefined) {
    wanted = provider.accountId(input.external_account_id) ?? undefined;
    if (!wanted)
      throw fieldError("external_account_id", provider.accountIdHint);
  }

  const grant = await exchange(provider, input.code, state);
  // One grant for every account (Google): the account id names what to sync, nothing to discover.
  if (wanted && provider.family.grantCoversNamedAccount) return connect(principal, provider, { id: wanted, name: wanted }, grant.secret, grant);

  const accounts = await discover(provider, grant.secret);
  if (wanted) {
    const match = accounts.find((a) => a.id === wanted);
    if (!match) throw fieldError("external_account_id", NOT_AN_OPTION);
    return connect(principal, provider, match, match.secret, grant);
  }
  if (accounts.length === 0) throw badRequest("No accounts are available to this grant. Check the account's permissions and reconnect.");
  if (accounts.length === 1) return connect(principal, provider, accounts[0]!, accounts[0]!.secret, grant);

  const stored = await storeSelection(
    { tenantId: principal.tenantId, userId: principal.userId, provider: provider.slug, scopes: grant.scopes, refreshTokenReceived: grant.refreshTokenReceived },
    accounts,
  );
  return { provider: provider.slug, status: "selection_required" as const, selection_id: stored.selectionId, expires_at: stored.expiresAt, options: stored.options };
}

export async function selectAccount(principal: Principal, provider: ProviderDef, input: SelectInput) {
  authorize(principal, "callback");
  const selection = await takeSelection(input.selection_id, { tenantId: principal.tenantId, userId: principal.userId, provider: provider.slug });
  if (!selection) throw badRequest(SELECTION_EXPIRED);
  // The picker sends an option's id, a tool may send the form people read (`123-456-7890`): both
  // go through the provider's normaliser, like every other account id a caller supplies.
  const accountId = provider.accountId(input.account_id) ?? input.account_id;
  const option = selection.options.find((o) => o.id === accountId);
  const secret = selection.secrets[accountId];
  if (!option || !secret) throw fieldError("account_id", NOT_AN_OPTION);
  return connect(principal, provider, option, secret, { scopes: selection.scopes, refreshTokenReceived: selection.refreshTokenReceived });
}
