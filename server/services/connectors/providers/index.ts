/**
 * The provider registry. Each family folder (google/, meta/) implements `ProviderFamily` and its
 * providers; this file lists them. Services reach provider behaviour only through these objects:
 * adding a provider is a folder plus one line in `ALL` (and its fake in e2e/fakes).
 */
import { notFound } from "../../errors";
import { ga4, googleAds, searchConsole } from "./google";
import { facebookPages, metaAds } from "./meta";
import type { ProviderDef as Definition } from "./types";

export type { AccountSecret, ErrorClass, Grant, ProviderFamily, Selectable, SourceConfigInput } from "./types";

const ALL = [facebookPages, metaAds, googleAds, ga4, searchConsole] as const;

export type ProviderSlug = (typeof ALL)[number]["slug"];
export type ProviderDef = Definition<ProviderSlug>;
export const PROVIDER_SLUGS = ALL.map((p) => p.slug) as [ProviderSlug, ...ProviderSlug[]];
export const PROVIDERS = Object.fromEntries(ALL.map((p) => [p.slug, p as ProviderDef])) as Record<ProviderSlug, ProviderDef>;
/** Every family, each once. */
export const FAMILIES = [...new Set(ALL.map((p) => p.family))];

/** `{provider}` from the URL: trimmed, case-insensitive; anything else is the spec's 404. */
export function providerFrom(raw: string | undefined): ProviderDef {
  const slug = (raw ?? "").trim().toLowerCase();
  if (!(PROVIDER_SLUGS as readonly string[]).includes(slug)) throw notFound("Unsupported provider.");
  return PROVIDERS[slug as ProviderSlug];
}

export const providerOf = (slug: string): ProviderDef | undefined => PROVIDERS[slug as ProviderSlug];

/** 90 days before today, `YYYY-MM-DD` (the spec's default start date). */
export function defaultStartDate(now = new Date()): string {
  return new Date(now.getTime() - 90 * 86_400_000).toISOString().slice(0, 10);
}

const AIRBYTE_AUTH_FAILURE = /auth|credential|token|unauthori[sz]ed|forbidden|permission|invalid_grant|expired|\b401\b|\b403\b/i;

/**
 * An Airbyte job failure that means the source's credential is dead: a config error that talks
 * about credentials. The same for every provider today (Airbyte reports them alike).
 */
export function syncFailureNeedsReauth(failure: { failureType: string | null; failureMessage: string | null }): boolean {
  return failure.failureType === "config_error" && AIRBYTE_AUTH_FAILURE.test(failure.failureMessage ?? "");
}
