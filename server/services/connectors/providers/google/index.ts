/**
 * The Google family (one OAuth app, PKCE, offline access): Google Ads, GA4 and Search Console.
 * One grant reaches every account of the user, so the same refresh token is stored whichever
 * account is chosen; access tokens are refreshed shortly before they expire.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Env } from "../../../../env";
import {
  exchangeGoogleCode,
  listAccessibleCustomers,
  listGa4Properties,
  listSearchConsoleSites,
  refreshGoogleToken,
  revokeGoogleToken,
  type DiscoveredAccount,
  type GoogleTokens,
} from "../../../../infra/google/client";
import { classifyProviderError, defineProvider, splitScopes, type AccountSecret, type ProviderFamily } from "../types";
import { googleAdsCustomerId, normalizeCustomerId } from "./customer-id";

const secretFrom = (t: GoogleTokens): AccountSecret => ({ accessToken: t.accessToken, refreshToken: t.refreshToken, expiresAt: Date.now() + t.expiresIn * 1000 });

export const google: ProviderFamily = {
  id: "google",
  name: "Google",
  oauthConfigured: (e) => Boolean(e.GOOGLE_OAUTH_CLIENT_ID && e.GOOGLE_OAUTH_CLIENT_SECRET),
  redirectUri: (e) => e.GOOGLE_OAUTH_REDIRECT_URI ?? `${e.FRONTEND_BASE_URL}/dashboards/data-sources`,
  authorize: ({ scopes, state, redirectUri, env: e }) => {
    const codeVerifier = randomBytes(48).toString("base64url");
    const url = new URL(e.GOOGLE_AUTH_URL!);
    const params: Record<string, string> = {
      client_id: e.GOOGLE_OAUTH_CLIENT_ID!,
      redirect_uri: redirectUri,
      response_type: "code",
      scope: scopes.join(" "),
      state,
      access_type: "offline",
      prompt: "consent",
      include_granted_scopes: "true",
      code_challenge: createHash("sha256").update(codeVerifier).digest("base64url"),
      code_challenge_method: "S256",
    };
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return { url: url.toString(), codeVerifier };
  },
  exchange: async (code, state) => {
    const t = await exchangeGoogleCode(code, state.codeVerifier ?? "", state.redirectUri);
    return { secret: secretFrom(t), scopes: t.scopes, refreshTokenReceived: t.refreshToken !== null };
  },
  grantCoversNamedAccount: true,
  reportsRefreshToken: true,
  renewal: {
    aheadMs: 5 * 60_000,
    needsRefreshToken: true,
    renew: async (secret) => secretFrom(await refreshGoogleToken(secret.refreshToken ?? "")),
    // The refresh token (what Airbyte uses) is still good; only our access token is stale.
    whileFailing: "valid",
  },
  // A refresh token revokes every token of the grant.
  revoke: (secret) => revokeGoogleToken(secret.refreshToken ?? secret.accessToken),
  classify: classifyProviderError,
};

/** The same grant (refresh + access token) is persisted whichever account is chosen. */
const withGrant = (secret: AccountSecret) => (accounts: DiscoveredAccount[]) => accounts.map((a) => ({ ...a, secret }));
const client = (e: Env) => ({ client_id: e.GOOGLE_OAUTH_CLIENT_ID ?? "", client_secret: e.GOOGLE_OAUTH_CLIENT_SECRET ?? "" });
const googleScopes = (value: string) => splitScopes(value, /[\s,]+/);

export const googleAds = defineProvider({
  slug: "google_ads",
  family: google,
  label: "Google Ads",
  scopes: (e) => googleScopes(e.GOOGLE_OAUTH_SCOPES_GOOGLE_ADS),
  sourceDefinitionId: (e) => e.AIRBYTE_SOURCE_DEFINITION_GOOGLE_ADS,
  accountId: googleAdsCustomerId,
  accountIdHint: "Enter a Google Ads customer id, such as 123-456-7890.",
  // The picker's options carry the same digits-only ids that are stored.
  discover: async (secret) => withGrant(secret)((await listAccessibleCustomers(secret.accessToken)).map((a) => ({ ...a, id: normalizeCustomerId(a.id) }))),
  sourceConfig: ({ accountId, secret, startDate, env: e }) => ({
    credentials: { developer_token: e.AIRBYTE_GOOGLE_ADS_DEVELOPER_TOKEN ?? "", ...client(e), refresh_token: secret.refreshToken ?? "" },
    customer_id: accountId,
    ...(e.AIRBYTE_GOOGLE_ADS_LOGIN_CUSTOMER_ID ? { login_customer_id: e.AIRBYTE_GOOGLE_ADS_LOGIN_CUSTOMER_ID } : {}),
    start_date: startDate,
  }),
});

export const ga4 = defineProvider({
  slug: "ga4",
  family: google,
  label: "Google Analytics 4",
  scopes: (e) => googleScopes(e.GOOGLE_OAUTH_SCOPES_GA4),
  sourceDefinitionId: (e) => e.AIRBYTE_SOURCE_DEFINITION_GA4,
  accountId: (raw) => {
    const id = raw.trim().replace(/^properties\//, "");
    return /^\d{1,20}$/.test(id) ? id : null;
  },
  accountIdHint: "Enter a valid account id for this provider.",
  discover: async (secret) => withGrant(secret)(await listGa4Properties(secret.accessToken)),
  sourceConfig: ({ accountId, secret, startDate, env: e }) => ({
    property_ids: [accountId],
    credentials: { auth_type: "Client", ...client(e), refresh_token: secret.refreshToken ?? "" },
    date_ranges_start_date: startDate,
  }),
});

export const searchConsole = defineProvider({
  slug: "search_console",
  family: google,
  label: "Google Search Console",
  scopes: (e) => googleScopes(e.GOOGLE_OAUTH_SCOPES_SEARCH_CONSOLE),
  sourceDefinitionId: (e) => e.AIRBYTE_SOURCE_DEFINITION_SEARCH_CONSOLE,
  accountId: (raw) => {
    const v = raw.trim();
    return /^(https?:\/\/\S+|sc-domain:\S+)$/.test(v) && v.length <= 255 ? v : null;
  },
  accountIdHint: "Enter a valid account id for this provider.",
  discover: async (secret) => withGrant(secret)(await listSearchConsoleSites(secret.accessToken)),
  sourceConfig: ({ accountId, secret, startDate, env: e }) => ({
    site_urls: [accountId],
    start_date: startDate,
    authorization: { auth_type: "Client", ...client(e), refresh_token: secret.refreshToken ?? "" },
  }),
});
