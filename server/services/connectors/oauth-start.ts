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
import { oauthConfigured, redirectUri, type ProviderDef } from "./providers";
import type { StartInput } from "./schemas";

export const STATE_TTL_SECONDS = 600;

export const hashState = (state: string) => createHash("sha256").update(state).digest("hex");

export function notConfigured(provider: ProviderDef): AppError {
  return new AppError("unavailable", `${provider.family === "google" ? "Google" : "Meta"} OAuth is not configured for this provider.`);
}

export async function startOAuth(principal: Principal, provider: ProviderDef, input: StartInput) {
  authorize(principal, "start");
  const e = env();
  if (!oauthConfigured(provider.family, e)) throw notConfigured(provider);

  const state = randomBytes(32).toString("base64url");
  const verifier = provider.family === "google" ? randomBytes(48).toString("base64url") : null;
  const redirect = redirectUri(provider.family, e);
  await withTenant(principal.tenantId, (tx) =>
    tx.insert(oauthStates).values({
      tenantId: principal.tenantId,
      userId: principal.userId,
      provider: provider.slug,
      stateHash: hashState(state),
      codeVerifier: verifier,
      redirectUri: redirect,
      returnPath: input.return_path ?? "/dashboards/data-sources",
      expiresAt: new Date(Date.now() + STATE_TTL_SECONDS * 1000),
    }),
  );

  let url: URL;
  if (provider.family === "google") {
    url = new URL(e.GOOGLE_AUTH_URL!);
    const params: Record<string, string> = {
      client_id: e.GOOGLE_OAUTH_CLIENT_ID!,
      redirect_uri: redirect,
      response_type: "code",
      scope: provider.scopes(e).join(" "),
      state,
      access_type: "offline",
      prompt: "consent",
      include_granted_scopes: "true",
      code_challenge: createHash("sha256").update(verifier!).digest("base64url"),
      code_challenge_method: "S256",
    };
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  } else {
    url = new URL(`${e.META_DIALOG_BASE_URL}/${e.META_GRAPH_API_VERSION}/dialog/oauth`);
    const params = { client_id: e.META_APP_ID!, redirect_uri: redirect, state, response_type: "code", scope: provider.scopes(e).join(",") };
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  }
  return { provider: provider.slug, authorize_url: url.toString(), state, redirect_uri: redirect };
}
