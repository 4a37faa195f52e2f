/**
 * `oauth/start/` and `reconnect/`: a hashed single-use state row (with the PKCE verifier for
 * Google) and the provider's authorize URL. Reconnect is the same flow; the stored credential is
 * untouched until the new callback succeeds.
 */
import { createHash, randomBytes } from "node:crypto";
import { env } from "../../env";
import { oauthStates } from "../../db/schema";
import { withTenant } from "../../db/tenant";
import type { Principal } from "../accounts/principal";
import { authorize } from "./access";
import { AppError } from "../errors";
import type { ProviderDef } from "./providers";
import type { StartInput } from "./schemas";

export const STATE_TTL_SECONDS = 600;

export const hashState = (state: string) => createHash("sha256").update(state).digest("hex");

export function notConfigured(provider: ProviderDef): AppError {
  return new AppError("unavailable", `${provider.family.name} OAuth is not configured for this provider.`);
}

export async function startOAuth(principal: Principal, provider: ProviderDef, input: StartInput) {
  authorize(principal, "start");
  const e = env();
  if (!provider.family.oauthConfigured(e)) throw notConfigured(provider);

  const state = randomBytes(32).toString("base64url");
  const redirect = provider.family.redirectUri(e);
  const { url, codeVerifier } = provider.family.authorize({ scopes: provider.scopes(e), state, redirectUri: redirect, env: e });
  await withTenant(principal.tenantId, (tx) =>
    tx.insert(oauthStates).values({
      tenantId: principal.tenantId,
      userId: principal.userId,
      provider: provider.slug,
      stateHash: hashState(state),
      codeVerifier,
      redirectUri: redirect,
      returnPath: input.return_path ?? "/dashboards/data-sources",
      expiresAt: new Date(Date.now() + STATE_TTL_SECONDS * 1000),
    }),
  );
  return { provider: provider.slug, authorize_url: url, state, redirect_uri: redirect };
}
