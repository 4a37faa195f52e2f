import type { trpc } from "../../trpc-client";

export type ProviderStatus = Awaited<ReturnType<typeof trpc.connectors.statuses.query>>[number];
export type ProviderSlug = ProviderStatus["provider"];
export type Job = Awaited<ReturnType<typeof trpc.connectors.jobs.query>>["jobs"][number];
export type CallbackAnswer = Awaited<ReturnType<typeof trpc.connectors.completeCallback.mutate>>;
export type Selection = Extract<CallbackAnswer, { status: "selection_required" }>;

export type ConnectionHealth = Awaited<ReturnType<typeof trpc.health.connections.query>>[number];

export const STATUSES_KEY = ["connectors.statuses"];
export const HEALTH_KEY = ["health.connections"];
export const jobsKey = (provider: string) => ["connectors.jobs", provider];

/** What the account picker asks for, per provider. */
export const ACCOUNT_KIND: Record<ProviderSlug, string> = {
  facebook_pages: "Facebook page",
  meta_ads: "ad account",
  google_ads: "Google Ads customer",
  ga4: "Analytics property",
  search_console: "Search Console site",
};

/** Who started a sync (`<Job>.trigger`). */
export const TRIGGER_LABEL: Record<string, string> = { manual: "manual", schedule: "scheduled", airbyte: "by Airbyte" };

export const STATE_LABEL: Record<ProviderStatus["state"], string> = {
  not_connected: "Not connected",
  needs_reauth: "Needs reconnecting",
  needs_provisioning: "Needs provisioning",
  paused: "Paused",
  syncing: "Syncing",
  error: "Last sync failed",
  connected: "Connected",
};

export const isActiveJob = (status: string | null | undefined) => status === "queued" || status === "running";

/** The provider of an OAuth round trip, remembered in this tab under its state (the redirect carries only code + state). */
export const pendingKey = (state: string) => `adinsights.oauth.${state}`;
