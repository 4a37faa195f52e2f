/**
 * Meta Graph: code exchange, long-lived exchange, pages, ad accounts, revoke. Every call uses
 * META_GRAPH_API_VERSION; user and page tokens travel in the Authorization header with the
 * matching appsecret_proof; the app secret only in POST bodies.
 */
import { createHmac } from "node:crypto";
import { z } from "zod";
import { env } from "../../env";
import { errorAnswer, outbound, type OutboundResponse } from "../http/outbound";
import { providerCall, type ProviderErrorKind } from "../provider-error";
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

/** Graph answers errors as `{"error": {"code", "type", …}}`, sometimes with a 200; 190/102 = the token is dead. */
export function classify(res: OutboundResponse): ProviderErrorKind | null {
  const error = errorAnswer.safeParse(res.body).data?.error;
  if (res.status >= 200 && res.status < 300 && !error) return null;
  const code = typeof error === "object" ? error.code : undefined;
  return code === 190 || code === 102 || res.status === 401 ? "auth" : "upstream";
}

function call<S extends z.ZodType, T>(operation: string, run: () => Promise<OutboundResponse>, shape: S, read: (body: z.output<S>) => T): Promise<T> {
  return providerCall({ family: "meta", operation, run, classify, shape, read });
}

const appCredentials = () => ({ client_id: env().META_APP_ID ?? "", client_secret: env().META_APP_SECRET ?? "" });
const tokenAnswer = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().optional() });
const tokenFrom = (b: z.output<typeof tokenAnswer>): MetaToken => ({ accessToken: b.access_token, expiresIn: b.expires_in || null });

/** Code → short-lived user token → long-lived user token (~60 days). */
export async function exchangeMetaCode(code: string, redirectUri: string): Promise<MetaToken> {
  const short = await call(
    "code_exchange",
    () => outbound({ service: "meta", method: "POST", url: graph("/oauth/access_token"), body: new URLSearchParams({ ...appCredentials(), redirect_uri: redirectUri, code }), retry: "unprocessed" }),
    tokenAnswer,
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
    tokenAnswer,
    tokenFrom,
  );
}

function get<S extends z.ZodType, T>(operation: string, path: string, token: string, shape: S, read: (b: z.output<S>) => T): Promise<T> {
  const url = new URL(graph(path));
  url.searchParams.set("appsecret_proof", appSecretProof(token));
  return call(operation, () => outbound({ service: "meta", method: "GET", url: url.toString(), headers: { authorization: `Bearer ${token}` } }), shape, read);
}

const list = <S extends z.ZodType>(item: S) => z.object({ data: z.array(item).default([]) });

export function listPages(userToken: string): Promise<MetaPage[]> {
  const page = z.object({ id: z.coerce.string(), name: z.string().optional(), category: z.string().optional(), access_token: z.string() });
  return get("list_pages", "/me/accounts?fields=id,name,category,access_token&limit=200", userToken, list(page), (b) =>
    b.data.map((p) => ({ id: p.id, name: p.name ?? p.id, category: p.category, accessToken: p.access_token })),
  );
}

export function listAdAccounts(userToken: string): Promise<DiscoveredAccount[]> {
  const account = z.object({ id: z.coerce.string(), account_id: z.coerce.string().optional(), name: z.string().optional() });
  return get("list_ad_accounts", "/me/adaccounts?fields=id,account_id,name&limit=200", userToken, list(account), (b) =>
    b.data.map((a) => ({ id: a.id.startsWith("act_") ? a.id : `act_${a.account_id ?? a.id}`, name: a.name ?? a.id })),
  );
}

/** DELETE /me/permissions: removes the app's grant for the token's user. */
export function revokeMetaPermissions(token: string): Promise<void> {
  const url = new URL(graph("/me/permissions"));
  url.searchParams.set("appsecret_proof", appSecretProof(token));
  return call("revoke", () => outbound({ service: "meta", method: "DELETE", url: url.toString(), headers: { authorization: `Bearer ${token}` } }), z.unknown(), () => undefined);
}
