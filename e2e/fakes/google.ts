/**
 * Fake Google: OAuth consent + token (authorization_code with PKCE, refresh_token) + revoke, and
 * the three discovery APIs (Ads accessible customers, GA4 account summaries, Search Console
 * sites). Errors use Google's shapes: `{"error", "error_description"}` from the OAuth endpoints,
 * `{"error": {"code", "message", "status"}}` from the APIs.
 *
 * The consenting user is the `login_hint` given to the consent URL (default `demo-user`); tokens
 * embed it so tests can match their own requests. `POST /__fake/profile {user, customers?,
 * properties?, sites?, access_ttl?}` sets what that user can reach.
 */
import { createHash } from "node:crypto";
import { consentPage, randomId, startFake, type Fake, type FakeRequest, type FakeResponse } from "./fake-server";

export interface GoogleFakeOptions {
  clientId: string;
  clientSecret: string;
  developerToken: string;
  port?: number;
}

interface Profile {
  customers: string[];
  properties: { id: string; name: string; account: string }[];
  sites: string[];
  accessTtl: number;
}

interface CodeGrant {
  user: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  challenge: string;
  method: string;
  expiresAt: number;
}

const digits = (seed: string, n: number) => {
  const hex = createHash("sha256").update(seed).digest("hex");
  return (BigInt(`0x${hex.slice(0, 15)}`) % 10n ** BigInt(n)).toString().padStart(n, "1");
};

/** Two reachable accounts of each kind; a user whose name contains "single" reaches one. */
function defaultProfile(user: string): Profile {
  const n = user.includes("single") ? 1 : 2;
  const range = Array.from({ length: n }, (_, i) => i + 1);
  return {
    customers: range.map((i) => digits(`${user}-customer-${i}`, 10)),
    properties: range.map((i) => ({ id: digits(`${user}-property-${i}`, 9), name: `Property ${i} of ${user}`, account: digits(`${user}-acct`, 8) })),
    sites: range.map((i) => `https://site${i}.${user.replace(/[^a-z0-9-]/gi, "").toLowerCase()}.example/`),
    accessTtl: 3599,
  };
}

const oauthError = (status: number, error: string, description: string): FakeResponse => ({
  status,
  body: { error, error_description: description },
});
const apiError = (code: number, status: string, message: string): FakeResponse => ({
  status: code,
  body: { error: { code, message, status } },
});

export async function startGoogleFake(options: GoogleFakeOptions): Promise<Fake> {
  const profiles = new Map<string, Profile>();
  const pending = new Map<string, URLSearchParams>();
  const codes = new Map<string, CodeGrant>();
  const refreshTokens = new Map<string, { user: string; scope: string; revoked: boolean }>();
  const accessTokens = new Map<string, { user: string; expiresAt: number; refreshToken: string | null }>();
  const profileOf = (user: string) => profiles.get(user) ?? defaultProfile(user);

  function issueAccess(user: string, refreshToken: string | null) {
    const token = `ya29.at-${user}-${randomId(16)}`;
    const ttl = profileOf(user).accessTtl;
    accessTokens.set(token, { user, expiresAt: Date.now() + ttl * 1000, refreshToken });
    return { token, ttl };
  }

  function bearerUser(req: FakeRequest): string | FakeResponse {
    const auth = req.headers.authorization ?? "";
    const token = auth.startsWith("Bearer ") ? auth.slice(7) : "";
    const grant = accessTokens.get(token);
    const revoked = grant?.refreshToken ? refreshTokens.get(grant.refreshToken)?.revoked : false;
    if (!grant || grant.expiresAt < Date.now() || revoked)
      return apiError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.");
    return grant.user;
  }

  function clientOk(req: FakeRequest): boolean {
    let id = req.form.get("client_id");
    let secret = req.form.get("client_secret");
    const basic = req.headers.authorization?.match(/^Basic (.+)$/)?.[1];
    if (basic) [id = null, secret = null] = Buffer.from(basic, "base64").toString().split(":");
    return id === options.clientId && secret === options.clientSecret;
  }

  function token(req: FakeRequest, failMode: string | null): FakeResponse {
    if (req.method !== "POST") return oauthError(405, "invalid_request", "Method not allowed.");
    if (!clientOk(req)) return oauthError(401, "invalid_client", "The OAuth client was not found.");
    const grantType = req.form.get("grant_type");
    if (grantType === "authorization_code") {
      const code = req.form.get("code") ?? "";
      const grant = codes.get(code);
      codes.delete(code); // single use
      if (!grant || grant.expiresAt < Date.now() || failMode === "invalid_grant") return oauthError(400, "invalid_grant", "Malformed auth code.");
      if (grant.redirectUri !== req.form.get("redirect_uri")) return oauthError(400, "redirect_uri_mismatch", "Bad Request");
      const verifier = req.form.get("code_verifier") ?? "";
      const computed = grant.method === "S256" ? createHash("sha256").update(verifier).digest("base64url") : verifier;
      if (!grant.challenge || computed !== grant.challenge) return oauthError(400, "invalid_grant", "Invalid code verifier.");
      const refresh = `1//rt-${grant.user}-${randomId(16)}`;
      refreshTokens.set(refresh, { user: grant.user, scope: grant.scope, revoked: false });
      const access = issueAccess(grant.user, refresh);
      // A user whose name contains "norefresh" re-consents without a new refresh token.
      const includeRefresh = !grant.user.includes("norefresh");
      return {
        status: 200,
        body: {
          access_token: access.token,
          expires_in: access.ttl,
          ...(includeRefresh ? { refresh_token: refresh } : {}),
          scope: grant.scope,
          token_type: "Bearer",
          id_token: `fake-id-token.${grant.user}`,
        },
      };
    }
    if (grantType === "refresh_token") {
      const refresh = req.form.get("refresh_token") ?? "";
      const grant = refreshTokens.get(refresh);
      if (!grant || grant.revoked || failMode === "invalid_grant") return oauthError(400, "invalid_grant", "Token has been expired or revoked.");
      const access = issueAccess(grant.user, refresh);
      return { status: 200, body: { access_token: access.token, expires_in: access.ttl, scope: grant.scope, token_type: "Bearer" } };
    }
    return oauthError(400, "unsupported_grant_type", "Invalid grant_type: " + String(grantType));
  }

  function revoke(req: FakeRequest): FakeResponse {
    const value = req.form.get("token") ?? req.query.token ?? "";
    const refresh = refreshTokens.get(value);
    const access = accessTokens.get(value);
    if (refresh) refresh.revoked = true;
    else if (access?.refreshToken) refreshTokens.get(access.refreshToken)!.revoked = true;
    else if (access) accessTokens.delete(value);
    else return oauthError(400, "invalid_token", "Token expired or revoked");
    return { status: 200, body: {} };
  }

  return startFake(
    "google",
    (req, failure) => {
      const path = req.path;
      if (path === "/__fake/profile" && req.method === "POST") {
        const user = String(req.json.user);
        const base = defaultProfile(user);
        profiles.set(user, {
          customers: req.json.customers ?? base.customers,
          properties: req.json.properties ?? base.properties,
          sites: req.json.sites ?? base.sites,
          accessTtl: req.json.access_ttl ?? base.accessTtl,
        });
        return { status: 200, body: { ok: true } };
      }
      if (path === "/o/oauth2/v2/auth") {
        const q = req.url.searchParams;
        if (q.get("client_id") !== options.clientId) return { status: 401, text: "Error 401: invalid_client. The OAuth client was not found." };
        if (q.get("response_type") !== "code" || !q.get("redirect_uri") || !q.get("scope"))
          return { status: 400, text: "Error 400: invalid_request" };
        if (!q.get("code_challenge")) return { status: 400, text: "Error 400: invalid_request. Missing code_challenge." };
        const requestId = randomId();
        pending.set(requestId, q);
        return consentPage("Google", q.get("scope") ?? "", `/o/oauth2/v2/approve?request=${requestId}&decision=allow`, `/o/oauth2/v2/approve?request=${requestId}&decision=deny`);
      }
      if (path === "/o/oauth2/v2/approve") {
        const q = pending.get(req.query.request ?? "");
        if (!q) return { status: 400, text: "Error 400: this consent request expired." };
        pending.delete(req.query.request!);
        const target = new URL(q.get("redirect_uri")!);
        if (q.get("state")) target.searchParams.set("state", q.get("state")!);
        if (req.query.decision !== "allow") {
          target.searchParams.set("error", "access_denied");
          return { status: 302, headers: { location: target.toString() } };
        }
        const code = `4/code-${q.get("login_hint") ?? "demo-user"}-${randomId(12)}`;
        codes.set(code, {
          user: q.get("login_hint") ?? "demo-user",
          clientId: q.get("client_id")!,
          redirectUri: q.get("redirect_uri")!,
          scope: q.get("scope")!,
          challenge: q.get("code_challenge") ?? "",
          method: q.get("code_challenge_method") ?? "plain",
          expiresAt: Date.now() + 10 * 60_000,
        });
        target.searchParams.set("code", code);
        target.searchParams.set("scope", q.get("scope")!);
        return { status: 302, headers: { location: target.toString() } };
      }
      if (path === "/token") return token(req, failure?.mode ?? null);
      if (path === "/revoke") return revoke(req);

      if (path.endsWith("/customers:listAccessibleCustomers")) {
        if (req.headers["developer-token"] !== options.developerToken)
          return apiError(401, "UNAUTHENTICATED", "The developer token is not valid.");
        const user = bearerUser(req);
        if (typeof user !== "string") return user;
        return { status: 200, body: { resourceNames: profileOf(user).customers.map((c) => `customers/${c}`) } };
      }
      if (path.endsWith("/accountSummaries")) {
        const user = bearerUser(req);
        if (typeof user !== "string") return user;
        const props = profileOf(user).properties;
        const accounts = [...new Set(props.map((p) => p.account))];
        return {
          status: 200,
          body: {
            accountSummaries: accounts.map((a) => ({
              name: `accountSummaries/${a}`,
              account: `accounts/${a}`,
              displayName: `Account ${a}`,
              propertySummaries: props
                .filter((p) => p.account === a)
                .map((p) => ({ property: `properties/${p.id}`, displayName: p.name, propertyType: "PROPERTY_TYPE_ORDINARY", parent: `accounts/${a}` })),
            })),
          },
        };
      }
      if (path.endsWith("/sites")) {
        const user = bearerUser(req);
        if (typeof user !== "string") return user;
        return { status: 200, body: { siteEntry: profileOf(user).sites.map((siteUrl) => ({ siteUrl, permissionLevel: "siteOwner" })) } };
      }
      return apiError(404, "NOT_FOUND", `Method not found: ${path}`);
    },
    options.port,
  );
}

/** The env the app needs to talk to this fake. */
export function googleEnv(fake: Fake, options: GoogleFakeOptions): Record<string, string> {
  return {
    GOOGLE_OAUTH_CLIENT_ID: options.clientId,
    GOOGLE_OAUTH_CLIENT_SECRET: options.clientSecret,
    GOOGLE_AUTH_URL: `${fake.url}/o/oauth2/v2/auth`,
    GOOGLE_TOKEN_URL: `${fake.url}/token`,
    GOOGLE_REVOKE_URL: `${fake.url}/revoke`,
    GOOGLE_ADS_API_URL: `${fake.url}/ads/v21`,
    GOOGLE_ANALYTICS_ADMIN_API_URL: `${fake.url}/analyticsadmin/v1beta`,
    GOOGLE_SEARCH_CONSOLE_API_URL: `${fake.url}/webmasters/v3`,
    AIRBYTE_GOOGLE_ADS_DEVELOPER_TOKEN: options.developerToken,
  };
}
