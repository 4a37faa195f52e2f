/**
 * The provider registry: everything that differs between the five connectors lives in one entry.
 * Adding a provider = one entry here (family, label, scopes, discovery, Airbyte source definition)
 * plus its source-config builder.
 */
import { env, type Env } from "../../env";
import { listAccessibleCustomers, listGa4Properties, listSearchConsoleSites, type DiscoveredAccount } from "../../infra/google/client";
import { listAdAccounts, listPages } from "../../infra/meta/client";
import { notFound } from "../errors";

export const PROVIDER_SLUGS = ["facebook_pages", "meta_ads", "google_ads", "ga4", "search_console"] as const;
export type ProviderSlug = (typeof PROVIDER_SLUGS)[number];
export type Family = "google" | "meta";

/** Secrets of one account as they are persisted (and pushed to Airbyte). */
export interface AccountSecret {
  accessToken: string;
  refreshToken: string | null;
  /** Epoch ms, or null when the token does not expire. */
  expiresAt: number | null;
}

/** An account the grant can reach, with the secret that would be persisted if it is chosen. */
export interface Selectable extends DiscoveredAccount {
  secret: AccountSecret;
}

export interface SourceConfigInput {
  accountId: string;
  secret: AccountSecret;
  startDate: string;
  env: Env;
}

export interface ProviderDef {
  slug: ProviderSlug;
  family: Family;
  label: string;
  scopes(e: Env): string[];
  /** Airbyte source definition id from env (undefined = must be sent with the request). */
  sourceDefinitionId(e: Env): string | undefined;
  /** Normalises a caller-supplied account id; null when it is not valid for this provider. */
  accountId(raw: string): string | null;
  /** The accounts the user's grant (`secret`) can reach. */
  discover(secret: AccountSecret): Promise<Selectable[]>;
  /** Airbyte `connectionConfiguration`, built at the moment of the call and never stored. */
  sourceConfig(input: SourceConfigInput): Record<string, unknown>;
}

const splitScopes = (value: string, separator: RegExp) => [
  ...new Set(
    value
      .split(separator)
      .map((s) => s.trim())
      .filter(Boolean),
  ),
];
const metaScopes = (e: Env) => splitScopes(e.META_OAUTH_SCOPES.toLowerCase(), /,/);

/** Google family: the same grant (refresh + access token) is persisted whichever account is chosen. */
const withGrant = (secret: AccountSecret) => (accounts: DiscoveredAccount[]) => accounts.map((a) => ({ ...a, secret }));

const googleClient = (e: Env) => ({ client_id: e.GOOGLE_OAUTH_CLIENT_ID ?? "", client_secret: e.GOOGLE_OAUTH_CLIENT_SECRET ?? "" });

export const PROVIDERS: Record<ProviderSlug, ProviderDef> = {
  facebook_pages: {
    slug: "facebook_pages",
    family: "meta",
    label: "Facebook Pages",
    scopes: metaScopes,
    sourceDefinitionId: (e) => e.AIRBYTE_SOURCE_DEFINITION_FACEBOOK_PAGES,
    accountId: (raw) => (/^\d{1,64}$/.test(raw.trim()) ? raw.trim() : null),
    // Only the chosen page's token is ever persisted; page tokens from a long-lived user token do not expire.
    discover: async (secret) =>
      (await listPages(secret.accessToken)).map((p) => ({ id: p.id, name: p.name, category: p.category, secret: { accessToken: p.accessToken, refreshToken: null, expiresAt: null } })),
    sourceConfig: ({ accountId, secret }) => ({ page_id: accountId, access_token: secret.accessToken }),
  },
  meta_ads: {
    slug: "meta_ads",
    family: "meta",
    label: "Meta Ads",
    scopes: metaScopes,
    sourceDefinitionId: (e) => e.AIRBYTE_SOURCE_DEFINITION_META,
    accountId: (raw) => {
      const digits = raw.trim().replace(/^act_/, "");
      return /^\d{1,64}$/.test(digits) ? `act_${digits}` : null;
    },
    discover: async (secret) => withGrant(secret)(await listAdAccounts(secret.accessToken)),
    sourceConfig: ({ accountId, secret, startDate }) => ({
      account_ids: [accountId.replace(/^act_/, "")],
      credentials: { auth_type: "Service", access_token: secret.accessToken },
      start_date: startDate,
    }),
  },
  google_ads: {
    slug: "google_ads",
    family: "google",
    label: "Google Ads",
    scopes: (e) => splitScopes(e.GOOGLE_OAUTH_SCOPES_GOOGLE_ADS, /[\s,]+/),
    sourceDefinitionId: (e) => e.AIRBYTE_SOURCE_DEFINITION_GOOGLE_ADS,
    accountId: (raw) => (/^\d{1,20}$/.test(raw.trim()) ? raw.trim() : null),
    discover: async (secret) => withGrant(secret)(await listAccessibleCustomers(secret.accessToken)),
    sourceConfig: ({ accountId, secret, startDate, env: e }) => ({
      credentials: { developer_token: e.AIRBYTE_GOOGLE_ADS_DEVELOPER_TOKEN ?? "", ...googleClient(e), refresh_token: secret.refreshToken ?? "" },
      customer_id: accountId,
      ...(e.AIRBYTE_GOOGLE_ADS_LOGIN_CUSTOMER_ID ? { login_customer_id: e.AIRBYTE_GOOGLE_ADS_LOGIN_CUSTOMER_ID } : {}),
      start_date: startDate,
    }),
  },
  ga4: {
    slug: "ga4",
    family: "google",
    label: "Google Analytics 4",
    scopes: (e) => splitScopes(e.GOOGLE_OAUTH_SCOPES_GA4, /[\s,]+/),
    sourceDefinitionId: (e) => e.AIRBYTE_SOURCE_DEFINITION_GA4,
    accountId: (raw) => {
      const id = raw.trim().replace(/^properties\//, "");
      return /^\d{1,20}$/.test(id) ? id : null;
    },
    discover: async (secret) => withGrant(secret)(await listGa4Properties(secret.accessToken)),
    sourceConfig: ({ accountId, secret, startDate, env: e }) => ({
      property_ids: [accountId],
      credentials: { auth_type: "Client", ...googleClient(e), refresh_token: secret.refreshToken ?? "" },
      date_ranges_start_date: startDate,
    }),
  },
  search_console: {
    slug: "search_console",
    family: "google",
    label: "Google Search Console",
    scopes: (e) => splitScopes(e.GOOGLE_OAUTH_SCOPES_SEARCH_CONSOLE, /[\s,]+/),
    sourceDefinitionId: (e) => e.AIRBYTE_SOURCE_DEFINITION_SEARCH_CONSOLE,
    accountId: (raw) => {
      const v = raw.trim();
      return /^(https?:\/\/\S+|sc-domain:\S+)$/.test(v) && v.length <= 255 ? v : null;
    },
    discover: async (secret) => withGrant(secret)(await listSearchConsoleSites(secret.accessToken)),
    sourceConfig: ({ accountId, secret, startDate, env: e }) => ({
      site_urls: [accountId],
      start_date: startDate,
      authorization: { auth_type: "Client", ...googleClient(e), refresh_token: secret.refreshToken ?? "" },
    }),
  },
};

/** `{provider}` from the URL (already percent-decoded by the router): trimmed, case-insensitive; anything else is the spec's 404. */
export function providerFrom(raw: string | undefined): ProviderDef {
  const slug = (raw ?? "").trim().toLowerCase();
  if (!(PROVIDER_SLUGS as readonly string[]).includes(slug)) throw notFound("Unsupported provider.");
  return PROVIDERS[slug as ProviderSlug];
}

/** Both halves of a family's OAuth app must be set (placeholders read as unset). */
export function oauthConfigured(family: Family, e: Env = env()): boolean {
  return family === "google" ? Boolean(e.GOOGLE_OAUTH_CLIENT_ID && e.GOOGLE_OAUTH_CLIENT_SECRET) : Boolean(e.META_APP_ID && e.META_APP_SECRET);
}

export function redirectUri(family: Family, e: Env = env()): string {
  const configured = family === "google" ? e.GOOGLE_OAUTH_REDIRECT_URI : e.META_OAUTH_REDIRECT_URI;
  return configured ?? `${e.FRONTEND_BASE_URL}/dashboards/data-sources`;
}

/** 90 days before today, `YYYY-MM-DD` (the spec's default start date). */
export function defaultStartDate(now = new Date()): string {
  return new Date(now.getTime() - 90 * 86_400_000).toISOString().slice(0, 10);
}
