/**
 * Google OAuth and the three discovery APIs. Tokens travel in POST bodies (token, revoke) or the
 * Authorization header (APIs), never in a URL. Errors come back as ProviderError with a kind the
 * services act on; the provider's own text goes to the log only.
 */
import { z } from "zod";
import { env } from "../../env";
import { errorAnswer, outbound, type OutboundResponse } from "../http/outbound";
import { providerCall, type ProviderErrorKind } from "../provider-error";

export interface GoogleTokens {
  accessToken: string;
  refreshToken: string | null;
  expiresIn: number;
  scopes: string[];
}

export interface DiscoveredAccount {
  id: string;
  name: string;
  category?: string;
}

/** Google's OAuth errors are `{"error": "invalid_grant"|…}`; API errors `{"error": {"code", "status"}}`. */
export function classify(res: OutboundResponse): ProviderErrorKind | null {
  if (res.status >= 200 && res.status < 300) return null;
  const error = errorAnswer.safeParse(res.body).data?.error;
  if (error === "invalid_grant") return "invalid_grant";
  if (res.status === 401 || res.status === 403 || error === "invalid_client") return "auth";
  return "upstream";
}

function call<S extends z.ZodType, T>(operation: string, run: () => Promise<OutboundResponse>, shape: S, read: (body: z.output<S>) => T): Promise<T> {
  return providerCall({ family: "google", operation, run, classify, shape, read });
}

const client = () => {
  const e = env();
  return { client_id: e.GOOGLE_OAUTH_CLIENT_ID ?? "", client_secret: e.GOOGLE_OAUTH_CLIENT_SECRET ?? "" };
};

const tokenAnswer = z.object({ access_token: z.string().min(1), refresh_token: z.string().optional(), expires_in: z.coerce.number().default(3600), scope: z.string().default("") });
const tokensFrom = (b: z.output<typeof tokenAnswer>): GoogleTokens => ({
  accessToken: b.access_token,
  refreshToken: b.refresh_token || null,
  expiresIn: b.expires_in,
  scopes: b.scope.split(/\s+/).filter(Boolean),
});

export function exchangeGoogleCode(code: string, codeVerifier: string, redirectUri: string): Promise<GoogleTokens> {
  return call(
    "code_exchange",
    () =>
      outbound({
        service: "google",
        method: "POST",
        url: env().GOOGLE_TOKEN_URL!,
        body: new URLSearchParams({ ...client(), grant_type: "authorization_code", code, code_verifier: codeVerifier, redirect_uri: redirectUri }),
        retry: "unprocessed",
      }),
    tokenAnswer,
    tokensFrom,
  );
}

export function refreshGoogleToken(refreshToken: string): Promise<GoogleTokens> {
  return call(
    "refresh",
    () =>
      outbound({
        service: "google",
        method: "POST",
        url: env().GOOGLE_TOKEN_URL!,
        body: new URLSearchParams({ ...client(), grant_type: "refresh_token", refresh_token: refreshToken }),
      }),
    tokenAnswer,
    tokensFrom,
  );
}

/** Revokes the grant behind a token (a refresh token revokes every token of the grant). */
export function revokeGoogleToken(token: string): Promise<void> {
  return call(
    "revoke",
    () => outbound({ service: "google", method: "POST", url: env().GOOGLE_REVOKE_URL!, body: new URLSearchParams({ token }) }),
    z.unknown(),
    () => undefined,
  );
}

const bearer = (accessToken: string) => ({ authorization: `Bearer ${accessToken}` });

/** Google Ads customers the grant can reach (ids are digits; names need a further query, so we label them). */
export function listAccessibleCustomers(accessToken: string): Promise<DiscoveredAccount[]> {
  return call(
    "list_accessible_customers",
    () =>
      outbound({
        service: "google",
        method: "GET",
        url: `${env().GOOGLE_ADS_API_URL}/customers:listAccessibleCustomers`,
        headers: { ...bearer(accessToken), "developer-token": env().AIRBYTE_GOOGLE_ADS_DEVELOPER_TOKEN ?? "" },
      }),
    z.object({ resourceNames: z.array(z.string()).default([]) }),
    (b) =>
      b.resourceNames.map((r) => {
        const id = r.replace(/^customers\//, "");
        return { id, name: `Google Ads ${id.replace(/^(\d{3})(\d{3})(\d+)$/, "$1-$2-$3")}` };
      }),
  );
}

export function listGa4Properties(accessToken: string): Promise<DiscoveredAccount[]> {
  return call(
    "list_ga4_properties",
    () => outbound({ service: "google", method: "GET", url: `${env().GOOGLE_ANALYTICS_ADMIN_API_URL}/accountSummaries?pageSize=200`, headers: bearer(accessToken) }),
    z.object({
      accountSummaries: z
        .array(z.object({ displayName: z.string().default(""), propertySummaries: z.array(z.object({ property: z.string(), displayName: z.string().optional() })).default([]) }))
        .default([]),
    }),
    (b) =>
      b.accountSummaries.flatMap((a) =>
        a.propertySummaries.map((p) => ({ id: p.property.replace(/^properties\//, ""), name: p.displayName ?? p.property, category: a.displayName })),
      ),
  );
}

export function listSearchConsoleSites(accessToken: string): Promise<DiscoveredAccount[]> {
  return call(
    "list_sites",
    () => outbound({ service: "google", method: "GET", url: `${env().GOOGLE_SEARCH_CONSOLE_API_URL}/sites`, headers: bearer(accessToken) }),
    z.object({ siteEntry: z.array(z.object({ siteUrl: z.string(), permissionLevel: z.string().default("") })).default([]) }),
    (b) => b.siteEntry.map((s) => ({ id: s.siteUrl, name: s.siteUrl, category: s.permissionLevel })),
  );
}
