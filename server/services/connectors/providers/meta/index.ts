/**
 * The Meta family (one Facebook app): Facebook Pages and Meta Ads. The code becomes a long-lived
 * user token (~60 days), re-exchanged within 7 days of expiry; each page has its own token, and
 * only the chosen page's token is persisted.
 */
import type { Env } from "../../../../env";
import { exchangeLongLived, exchangeMetaCode, listAdAccounts, listPages, revokeMetaPermissions, type MetaToken } from "../../../../infra/meta/client";
import { classifyProviderError, defineProvider, splitScopes, type AccountSecret, type ProviderFamily } from "../types";

const secretFrom = (t: MetaToken): AccountSecret => ({ accessToken: t.accessToken, refreshToken: null, expiresAt: t.expiresIn ? Date.now() + t.expiresIn * 1000 : null });

export const meta: ProviderFamily = {
  id: "meta",
  name: "Meta",
  oauthConfigured: (e) => Boolean(e.META_APP_ID && e.META_APP_SECRET),
  redirectUri: (e) => e.META_OAUTH_REDIRECT_URI ?? `${e.FRONTEND_BASE_URL}/dashboards/data-sources`,
  authorize: ({ scopes, state, redirectUri, env: e }) => {
    const url = new URL(`${e.META_DIALOG_BASE_URL}/${e.META_GRAPH_API_VERSION}/dialog/oauth`);
    const params = { client_id: e.META_APP_ID!, redirect_uri: redirectUri, state, response_type: "code", scope: scopes.join(",") };
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return { url: url.toString(), codeVerifier: null };
  },
  exchange: async (code, state) => ({ secret: secretFrom(await exchangeMetaCode(code, state.redirectUri)), scopes: [], refreshTokenReceived: false }),
  grantCoversNamedAccount: false,
  reportsRefreshToken: false,
  renewal: {
    aheadMs: 7 * 86_400_000,
    needsRefreshToken: false,
    renew: async (secret) => secretFrom(await exchangeLongLived(secret.accessToken)),
    // The token itself runs out if renewal keeps failing.
    whileFailing: "expiring",
  },
  revoke: (secret) => revokeMetaPermissions(secret.accessToken),
  classify: classifyProviderError,
};

const metaScopes = (e: Env) => splitScopes(e.META_OAUTH_SCOPES.toLowerCase(), /,/);

export const facebookPages = defineProvider({
  slug: "facebook_pages",
  family: meta,
  label: "Facebook Pages",
  scopes: metaScopes,
  sourceDefinitionId: (e) => e.AIRBYTE_SOURCE_DEFINITION_FACEBOOK_PAGES,
  accountId: (raw) => (/^\d{1,64}$/.test(raw.trim()) ? raw.trim() : null),
  accountIdHint: "Enter a valid account id for this provider.",
  // Page tokens from a long-lived user token do not expire.
  discover: async (secret) =>
    (await listPages(secret.accessToken)).map((p) => ({ id: p.id, name: p.name, category: p.category, secret: { accessToken: p.accessToken, refreshToken: null, expiresAt: null } })),
  sourceConfig: ({ accountId, secret }) => ({ page_id: accountId, access_token: secret.accessToken }),
});

export const metaAds = defineProvider({
  slug: "meta_ads",
  family: meta,
  label: "Meta Ads",
  scopes: metaScopes,
  sourceDefinitionId: (e) => e.AIRBYTE_SOURCE_DEFINITION_META,
  accountId: (raw) => {
    const digits = raw.trim().replace(/^act_/, "");
    return /^\d{1,64}$/.test(digits) ? `act_${digits}` : null;
  },
  accountIdHint: "Enter a valid account id for this provider.",
  discover: async (secret) => (await listAdAccounts(secret.accessToken)).map((a) => ({ ...a, secret })),
  sourceConfig: ({ accountId, secret, startDate }) => ({
    account_ids: [accountId.replace(/^act_/, "")],
    credentials: { auth_type: "Service", access_token: secret.accessToken },
    start_date: startDate,
  }),
});
