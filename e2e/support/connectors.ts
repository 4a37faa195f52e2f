/** Helpers for the connector contract tests: click through the fakes' consent pages, drive the fakes. */
import { randomUUID } from "node:crypto";
import { inject } from "vitest";
import { api } from "./api";

export const PROVIDERS = ["facebook_pages", "meta_ads", "google_ads", "ga4", "search_console"] as const;
export type Slug = (typeof PROVIDERS)[number];
export const familyOf = (p: Slug) => (p === "facebook_pages" || p === "meta_ads" ? "meta" : "google");

export const fakeUrl = (name: "google" | "meta" | "airbyte") => inject("testEnv")[`FAKE_${name.toUpperCase()}_URL`]!;
export const fakeUser = (label = "u") => `${label}-${randomUUID().slice(0, 8)}`;

/** Opens the authorize URL as `user`, clicks Allow, returns the redirect's query (code, state). */
export async function consent(authorizeUrl: string, user: string, decision: "allow" | "deny" = "allow"): Promise<URLSearchParams> {
  const url = new URL(authorizeUrl);
  url.searchParams.set("login_hint", user);
  const page = await fetch(url);
  const html = await page.text();
  if (page.status !== 200) throw new Error(`consent page ${page.status}: ${html}`);
  const href = html.match(new RegExp(`id="${decision}" href="([^"]+)"`))![1]!.replace(/&amp;/g, "&");
  const res = await fetch(new URL(href, url), { redirect: "manual" });
  return new URL(res.headers.get("location")!).searchParams;
}

/** Who calls: a token, and the app instance to call when it is not the shared one. */
export interface Caller {
  access: string;
  base?: string;
}

const base = (p: string) => `/api/integrations/${p}`;

export async function start(tenant: Caller, provider: Slug) {
  const res = await api(`${base(provider)}/oauth/start/`, { base: tenant.base, token: tenant.access, body: {} });
  if (res.status !== 200) throw new Error(`start ${provider}: ${res.status} ${res.text}`);
  return res.body as { authorize_url: string; state: string; redirect_uri: string };
}

/** start → consent → callback (step 1); returns the callback answer. */
export async function callback(tenant: Caller, provider: Slug, user: string, extra: Record<string, unknown> = {}) {
  const started = await start(tenant, provider);
  const back = await consent(started.authorize_url, user);
  return api(`${base(provider)}/oauth/callback/`, { base: tenant.base, token: tenant.access, body: { code: back.get("code"), state: back.get("state"), ...extra } });
}

/** The whole connect flow, picking the first option when asked to choose. */
export async function connect(tenant: Caller, provider: Slug, user: string) {
  const first = await callback(tenant, provider, user);
  if (first.status !== 200) throw new Error(`callback ${provider}: ${first.status} ${first.text}`);
  if (first.body.status === "connected") return first;
  const chosen = first.body.options[0].id;
  const second = await api(`${base(provider)}/oauth/callback/`, { base: tenant.base, token: tenant.access, body: { selection_id: first.body.selection_id, account_id: chosen } });
  if (second.status !== 200) throw new Error(`select ${provider}: ${second.status} ${second.text}`);
  return second;
}

export async function provision(tenant: Caller, provider: Slug, body: Record<string, unknown> = {}) {
  return api(`${base(provider)}/provision/`, {
    base: tenant.base,
    token: tenant.access,
    body: provider === "facebook_pages" ? { source_definition_id: "778daa7c-feaf-4db6-96f3-70fd645acc77", ...body } : body,
  });
}

export const status = (tenant: Caller, provider: Slug) => api(`${base(provider)}/status/`, { base: tenant.base, token: tenant.access });

/** Calls `fn` until `ok` holds or the time is up; returns the last value either way (the caller asserts on it). */
export async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await fn();
  while (!ok(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    value = await fn();
  }
  return value;
}

/** Polls status until `state` (the worker finishes syncs in the background). */
export async function waitForState(tenant: Caller, provider: Slug, wanted: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < deadline) {
    last = (await status(tenant, provider)).body;
    if (last.state === wanted) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`state of ${provider} stayed ${last?.state}, wanted ${wanted}: ${JSON.stringify(last?.last_job)}`);
}

export async function seen(fake: "google" | "meta" | "airbyte", path: string, match?: string): Promise<any[]> {
  const q = new URLSearchParams({ path, ...(match ? { match } : {}) });
  return (await (await fetch(`${fakeUrl(fake)}/__control/requests?${q}`)).json()).requests;
}

export async function failNext(fake: "google" | "meta" | "airbyte", rule: { path?: string; match?: string; mode: string; status?: number; times?: number }) {
  await fetch(`${fakeUrl(fake)}/__control/fail`, { method: "POST", body: JSON.stringify(rule) });
}

export async function airbyteState(): Promise<{ sources: any[]; connections: any[]; jobs: any[] }> {
  return (await fetch(`${fakeUrl("airbyte")}/__fake/state`)).json();
}
