/**
 * Meta Graph: code exchange, long-lived exchange, pages, ad accounts, revoke. Every call uses
 * META_GRAPH_API_VERSION; user and page tokens travel in the Authorization header with the
 * matching appsecret_proof; the app secret only in POST bodies.
 */
import { createHmac } from "node:crypto";
import { env } from "../../env";
import { log } from "../log";
import { describeAnswer, outbound, OutboundFailure, type OutboundResponse } from "../http/outbound";
import { ProviderError } from "../provider-error";
import type { DiscoveredAccount } from "../google/client";

export interface MetaToken {
  accessToken: string;
  /** Seconds; null when Graph says the token does not expire. */
  expiresIn: number | null;
}

export interface MetaPage extends DiscoveredAccount {
  accessToken: string;
}

const graph = (path: string) => `${env().META_GRAPH_BASE_URL}/${env().META_GRAPH_API_VERSION}${path}`;

export const appSecretProof = (token: string) => createHmac("sha256", env().META_APP_SECRET ?? "").update(token).digest("hex");

function fail(operation: string, res: OutboundResponse): never {
  log.warn("meta call failed", { operation, ...describeAnswer(res) });
  const code = Number(res.body?.error?.code);
  if (code === 190 || code === 102 || res.status === 401) throw new ProviderError("meta", "auth", operation);
  throw new ProviderError("meta", "upstream", operation);
}

async function call<T>(operation: string, run: () => Promise<OutboundResponse>, read: (body: any) => T): Promise<T> {
  let res: OutboundResponse;
  try {
    res = await run();
  } catch (error) {
    if (error instanceof OutboundFailure) throw new ProviderError("meta", error.reason === "timeout" ? "timeout" : "upstream", operation);
    throw error;
  }
  if (res.status < 200 || res.status >= 300 || res.body?.error) fail(operation, res);
  return read(res.body);
}

const appCredentials = () => ({ client_id: env().META_APP_ID ?? "", client_secret: env().META_APP_SECRET ?? "" });
const tokenFrom = (b: any): MetaToken => ({ accessToken: String(b.access_token), expiresIn: b.expires_in ? Number(b.expires_in) : null });

/** Code → short-lived user token → long-lived user token (~60 days). */
export async function exchangeMetaCode(code: string, redirectUri: string): Promise<MetaToken> {
  const short = await call(
    "code_exchange",
    () => outbound({ service: "meta", method: "POST", url: graph("/oauth/access_token"), body: new URLSearchParams({ ...appCredentials(), redirect_uri: redirectUri, code }), retry: "unprocessed" }),
    tokenFrom,
  );
  return exchangeLongLived(short.accessToken);
}

/** fb_exchange_token: a fresh long-lived token from a short- or long-lived one. */
export function exchangeLongLived(userToken: string): Promise<MetaToken> {
  return call(
    "long_lived_exchange",
    () =>
      outbound({
        service: "meta",
        method: "POST",
        url: graph("/oauth/access_token"),
        body: new URLSearchParams({ ...appCredentials(), grant_type: "fb_exchange_token", fb_exchange_token: userToken }),
      }),
    tokenFrom,
  );
}

function get<T>(operation: string, path: string, token: string, read: (b: any) => T): Promise<T> {
  const url = new URL(graph(path));
  url.searchParams.set("appsecret_proof", appSecretProof(token));
  return call(operation, () => outbound({ service: "meta", method: "GET", url: url.toString(), headers: { authorization: `Bearer ${token}` } }), read);
}

export function listPages(userToken: string): Promise<MetaPage[]> {
  return get("list_pages", "/me/accounts?fields=id,name,category,access_token&limit=200", userToken, (b) =>
    ((b.data ?? []) as any[]).map((p) => ({ id: String(p.id), name: String(p.name ?? p.id), category: p.category ? String(p.category) : undefined, accessToken: String(p.access_token) })),
  );
}

export function listAdAccounts(userToken: string): Promise<DiscoveredAccount[]> {
  return get("list_ad_accounts", "/me/adaccounts?fields=id,account_id,name&limit=200", userToken, (b) =>
    ((b.data ?? []) as any[]).map((a) => ({ id: String(a.id).startsWith("act_") ? String(a.id) : `act_${a.account_id}`, name: String(a.name ?? a.id) })),
  );
}

/** DELETE /me/permissions: removes the app's grant for the token's user. */
export function revokeMetaPermissions(token: string): Promise<void> {
  const url = new URL(graph("/me/permissions"));
  url.searchParams.set("appsecret_proof", appSecretProof(token));
  return call("revoke", () => outbound({ service: "meta", method: "DELETE", url: url.toString(), headers: { authorization: `Bearer ${token}` } }), () => undefined);
}
