/**
 * Fake Meta: the OAuth dialog and the Graph calls the connectors use — `/{v}/oauth/access_token`
 * (code exchange and `fb_exchange_token`), `/me/accounts` (pages with page tokens),
 * `/me/adaccounts`, `DELETE /me/permissions`, `debug_token`. Errors use Graph's shape
 * `{"error": {"message", "type", "code", "error_subcode"?, "fbtrace_id"}}`; 190 = invalid token.
 *
 * The app has "Require App Secret" on: every call made with a user or page token must carry the
 * matching `appsecret_proof` (HMAC-SHA256 of the token, keyed with the app secret).
 * Versions: any `/vNN.N/` prefix is answered; tests read the recorded paths to check which one.
 * The consenting user is the dialog's `login_hint` query parameter (default `demo-user`).
 */
import { createHash, createHmac } from "node:crypto";
import { consentPage, randomId, startFake, type Fake, type FakeRequest, type FakeResponse } from "./fake-server";

export interface MetaFakeOptions {
  appId: string;
  appSecret: string;
  port?: number;
}

interface Profile {
  pages: { id: string; name: string; category: string }[];
  adAccounts: { account_id: string; name: string }[];
  longTtl: number;
}

interface TokenInfo {
  user: string;
  kind: "short" | "long" | "page";
  pageId?: string;
  expiresAt: number;
  scopes: string[];
}

const digits = (seed: string, n: number) => {
  const hex = createHash("sha256").update(seed).digest("hex");
  return (BigInt(`0x${hex.slice(0, 15)}`) % 10n ** BigInt(n)).toString().padStart(n, "1");
};

function defaultProfile(user: string): Profile {
  const n = user.includes("single") ? 1 : 2;
  const range = Array.from({ length: n }, (_, i) => i + 1);
  return {
    pages: range.map((i) => ({ id: digits(`${user}-page-${i}`, 15), name: `Page ${i} of ${user}`, category: "Media/News Company" })),
    adAccounts: range.map((i) => ({ account_id: digits(`${user}-ads-${i}`, 12), name: `Ad account ${i} of ${user}` })),
    longTtl: 60 * 24 * 3600,
  };
}

const graphError = (status: number, code: number, message: string, type = "OAuthException", subcode?: number): FakeResponse => ({
  status,
  body: { error: { message, type, code, ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: `A${randomId(8)}` } },
});
const expiredToken = () =>
  graphError(400, 190, "Error validating access token: Session has expired or the user has changed their password.", "OAuthException", 463);

export async function startMetaFake(options: MetaFakeOptions): Promise<Fake> {
  const profiles = new Map<string, Profile>();
  const pending = new Map<string, URLSearchParams>();
  const codes = new Map<string, { user: string; redirectUri: string; scopes: string[] }>();
  const tokens = new Map<string, TokenInfo>();
  const revokedUsers = new Set<string>();
  const profileOf = (user: string) => profiles.get(user) ?? defaultProfile(user);

  function issue(info: Omit<TokenInfo, "expiresAt">, ttl: number) {
    const prefix = info.kind === "page" ? `EAAP-${info.user}-${info.pageId}` : `EAA${info.kind === "long" ? "L" : "S"}-${info.user}`;
    const token = `${prefix}-${randomId(16)}`;
    tokens.set(token, { ...info, expiresAt: Date.now() + ttl * 1000 });
    return token;
  }

  /** Every parameter, wherever Graph accepts it: query string, form body or JSON body. */
  function param(req: FakeRequest, name: string): string | undefined {
    return req.url.searchParams.get(name) ?? req.form.get(name) ?? (req.json && typeof req.json === "object" ? req.json[name] : undefined) ?? undefined;
  }

  function appOk(req: FakeRequest) {
    return param(req, "client_id") === options.appId && param(req, "client_secret") === options.appSecret;
  }

  /** Resolves the caller's token (header or parameter), checking appsecret_proof. */
  function caller(req: FakeRequest): TokenInfo | FakeResponse {
    const auth = req.headers.authorization ?? "";
    const token = auth.match(/^(?:Bearer|OAuth) (.+)$/)?.[1] ?? param(req, "access_token") ?? "";
    if (!token) return graphError(400, 2500, "An active access token must be used to query information about the current user.");
    const proof = param(req, "appsecret_proof");
    if (!proof) return graphError(400, 100, "API calls from the server require an appsecret_proof argument", "GraphMethodException");
    if (proof !== createHmac("sha256", options.appSecret).update(token).digest("hex"))
      return graphError(400, 100, "Invalid appsecret_proof provided in the API argument", "GraphMethodException");
    const info = tokens.get(token);
    if (!info || info.expiresAt < Date.now() || revokedUsers.has(info.user)) return expiredToken();
    return info;
  }

  function accessToken(req: FakeRequest, failMode: string | null): FakeResponse {
    if (!appOk(req)) return graphError(400, 101, "Error validating application. Invalid application ID.");
    if (param(req, "grant_type") === "fb_exchange_token") {
      const short = tokens.get(param(req, "fb_exchange_token") ?? "");
      if (!short || failMode === "oauth190" || failMode === "invalid_grant" || revokedUsers.has(short.user) || short.expiresAt < Date.now())
        return expiredToken();
      const ttl = profileOf(short.user).longTtl;
      return { status: 200, body: { access_token: issue({ user: short.user, kind: "long", scopes: short.scopes }, ttl), token_type: "bearer", expires_in: ttl } };
    }
    const code = param(req, "code") ?? "";
    const grant = codes.get(code);
    codes.delete(code);
    if (!grant || failMode === "invalid_grant") return graphError(400, 100, "This authorization code has been used.", "OAuthException", 36009);
    if (grant.redirectUri !== param(req, "redirect_uri"))
      return graphError(400, 100, "Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request", "OAuthException", 36008);
    revokedUsers.delete(grant.user); // consenting again re-grants the app
    return { status: 200, body: { access_token: issue({ user: grant.user, kind: "short", scopes: grant.scopes }, 2 * 3600), token_type: "bearer", expires_in: 7200 } };
  }

  return startFake(
    "meta",
    (req, failure) => {
      const path = req.path;
      if (path === "/__fake/profile" && req.method === "POST") {
        const user = String(req.json.user);
        const base = defaultProfile(user);
        profiles.set(user, {
          pages: req.json.pages ?? base.pages,
          adAccounts: req.json.ad_accounts ?? base.adAccounts,
          longTtl: req.json.long_ttl ?? base.longTtl,
        });
        return { status: 200, body: { ok: true } };
      }
      const versioned = path.match(/^\/(v\d+\.\d+)(\/.*)$/);
      if (!versioned) return graphError(400, 2500, "Unknown path components: " + path);
      const route = versioned[2]!;
      if (failure?.mode === "oauth190") return expiredToken();

      if (route === "/dialog/oauth") {
        const q = req.url.searchParams;
        if (q.get("client_id") !== options.appId) return { status: 400, text: "Invalid App ID" };
        if (!q.get("redirect_uri") || !q.get("state")) return { status: 400, text: "Missing redirect_uri or state" };
        const requestId = randomId();
        pending.set(requestId, q);
        return consentPage("Facebook", q.get("scope") ?? "", `/${versioned[1]}/dialog/approve?request=${requestId}&decision=allow`, `/${versioned[1]}/dialog/approve?request=${requestId}&decision=deny`);
      }
      if (route === "/dialog/approve") {
        const q = pending.get(req.query.request ?? "");
        if (!q) return { status: 400, text: "This consent request expired." };
        pending.delete(req.query.request!);
        const target = new URL(q.get("redirect_uri")!);
        target.searchParams.set("state", q.get("state")!);
        if (req.query.decision !== "allow") {
          target.searchParams.set("error", "access_denied");
          target.searchParams.set("error_reason", "user_denied");
          return { status: 302, headers: { location: target.toString() } };
        }
        const user = q.get("login_hint") ?? "demo-user";
        const code = `AQ-${user}-${randomId(16)}`;
        codes.set(code, { user, redirectUri: q.get("redirect_uri")!, scopes: (q.get("scope") ?? "").split(",").filter(Boolean) });
        target.searchParams.set("code", code);
        return { status: 302, headers: { location: target.toString() } };
      }
      if (route === "/oauth/access_token") return accessToken(req, failure?.mode ?? null);

      if (route === "/debug_token") {
        if (param(req, "access_token") !== `${options.appId}|${options.appSecret}`) return graphError(400, 190, "Invalid OAuth access token signature.");
        const input = param(req, "input_token") ?? "";
        const info = tokens.get(input);
        const valid = !!info && info.expiresAt > Date.now() && !revokedUsers.has(info.user);
        return {
          status: 200,
          body: {
            data: {
              app_id: options.appId,
              type: info?.kind === "page" ? "PAGE" : "USER",
              is_valid: valid,
              expires_at: info ? Math.floor(info.expiresAt / 1000) : 0,
              scopes: info?.scopes ?? [],
              user_id: info ? digits(info.user, 15) : undefined,
            },
          },
        };
      }

      const who = caller(req);
      if ("status" in who) return who;
      if (route === "/me/permissions" && req.method === "DELETE") {
        revokedUsers.add(who.user);
        return { status: 200, body: { success: true } };
      }
      if (route === "/me/accounts" && req.method === "GET") {
        if (who.kind === "page") return graphError(400, 100, "(#100) Tried accessing nonexisting field (accounts) on node type (Page)");
        const data = profileOf(who.user).pages.map((p) => ({
          id: p.id,
          name: p.name,
          category: p.category,
          access_token: issue({ user: who.user, kind: "page", pageId: p.id, scopes: who.scopes }, 60 * 24 * 3600),
          tasks: ["ANALYZE", "ADVERTISE"],
        }));
        return { status: 200, body: { data, paging: { cursors: { before: "b", after: "a" } } } };
      }
      if (route === "/me/adaccounts" && req.method === "GET") {
        const data = profileOf(who.user).adAccounts.map((a) => ({ id: `act_${a.account_id}`, account_id: a.account_id, name: a.name, account_status: 1 }));
        return { status: 200, body: { data, paging: { cursors: { before: "b", after: "a" } } } };
      }
      if (route === "/me" && req.method === "GET") return { status: 200, body: { id: digits(who.user, 15), name: who.user } };
      return graphError(400, 100, `Unsupported ${req.method} request.`, "GraphMethodException", 33);
    },
    options.port,
  );
}

export function metaEnv(fake: Fake, options: MetaFakeOptions): Record<string, string> {
  return {
    META_APP_ID: options.appId,
    META_APP_SECRET: options.appSecret,
    META_GRAPH_BASE_URL: fake.url,
    META_DIALOG_BASE_URL: fake.url,
  };
}
