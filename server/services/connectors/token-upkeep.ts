/**
 * Token upkeep (worker): Google access tokens are refreshed ~5 minutes before expiry, Meta
 * long-lived user tokens are re-exchanged within 7 days of expiry. Each credential is handled
 * under its own advisory lock so two workers never refresh it twice. `invalid_grant`/Graph 190 →
 * `needs_reauth` (no retry); transient failures are thrown so the queue retries with backoff and
 * the credential stays `valid` (Meta: `expiring`). Refreshed secrets are pushed to Airbyte.
 */
import { and, eq, isNotNull, lt, ne, or, inArray } from "drizzle-orm";
import { database } from "../../db/client";
import { airbyteConnections, platformCredentials } from "../../db/schema";
import { listTenantIds } from "../../db/system";
import { withTenant } from "../../db/tenant";
import { env } from "../../env";
import * as airbyte from "../../infra/airbyte/client";
import { refreshGoogleToken } from "../../infra/google/client";
import { log } from "../../infra/log";
import { exchangeLongLived } from "../../infra/meta/client";
import { ProviderError } from "../../infra/provider-error";
import { listCredentials, markCredential, readSecret, storeRefreshed } from "./credentials";
import { resourceName } from "./provision";
import { defaultStartDate, PROVIDERS, type AccountSecret, type ProviderSlug } from "./providers";

export const GOOGLE_REFRESH_AHEAD_MS = 5 * 60_000;
export const META_REEXCHANGE_AHEAD_MS = 7 * 86_400_000;
const GOOGLE = ["google_ads", "ga4", "search_console"];

const JOB = { actorUserId: null, job: "token_upkeep", purpose: "token_refresh" };

export interface UpkeepSummary {
  refreshed: number;
  needsReauth: number;
  failed: number;
}

/** Every tenant's credentials that are due, in turn. Transient failures are counted and rethrown at the end. */
export async function refreshDueCredentials(now = Date.now()): Promise<UpkeepSummary> {
  const summary: UpkeepSummary = { refreshed: 0, needsReauth: 0, failed: 0 };
  for (const tenantId of await listTenantIds()) {
    const due = await withTenant(tenantId, (tx) =>
      tx
        .select({ id: platformCredentials.id, provider: platformCredentials.provider, accountId: platformCredentials.accountId })
        .from(platformCredentials)
        .where(
          and(
            ne(platformCredentials.tokenStatus, "needs_reauth"),
            isNotNull(platformCredentials.expiresAt),
            or(
              and(inArray(platformCredentials.provider, GOOGLE), isNotNull(platformCredentials.refreshTokenEnc), lt(platformCredentials.expiresAt, new Date(now + GOOGLE_REFRESH_AHEAD_MS))),
              and(eq(platformCredentials.provider, "meta_ads"), lt(platformCredentials.expiresAt, new Date(now + META_REEXCHANGE_AHEAD_MS))),
            ),
          ),
        ),
    );
    for (const c of due) {
      const outcome = await refreshCredential(tenantId, c.provider as ProviderSlug, c.accountId).catch((error: unknown) => {
        log.warn("token refresh failed", { provider: c.provider, credential_id: c.id, error: error instanceof Error ? error.message : String(error) });
        return "failed" as const;
      });
      if (outcome === "refreshed") summary.refreshed++;
      else if (outcome === "needs_reauth") summary.needsReauth++;
      else if (outcome === "failed") summary.failed++;
    }
  }
  if (summary.failed > 0) log.warn("token upkeep finished with failures", { ...summary });
  return summary;
}

/** Refreshes one credential under its lock; re-checks due-ness after taking the lock. */
export async function refreshCredential(tenantId: string, slug: ProviderSlug, accountId: string): Promise<"refreshed" | "needs_reauth" | "skipped" | "failed"> {
  const provider = PROVIDERS[slug];
  const { withAdvisoryLock } = await database();
  return withAdvisoryLock(`credential:${tenantId}:${slug}:${accountId}`, async () => {
    const loaded = await withTenant(tenantId, async (tx) => {
      const [row] = await listCredentials(tx, tenantId, slug, accountId);
      if (!row || row.tokenStatus === "needs_reauth") return null;
      return { row, secret: await readSecret(tx, row, JOB) };
    });
    if (!loaded) return "skipped";
    const { row, secret } = loaded;
    const ahead = provider.family === "google" ? GOOGLE_REFRESH_AHEAD_MS : META_REEXCHANGE_AHEAD_MS;
    if (secret.expiresAt === null || secret.expiresAt > Date.now() + ahead) return "skipped"; // another worker did it

    let fresh: AccountSecret;
    try {
      if (provider.family === "google") {
        const t = await refreshGoogleToken(secret.refreshToken ?? "");
        fresh = { accessToken: t.accessToken, refreshToken: t.refreshToken, expiresAt: Date.now() + t.expiresIn * 1000 };
      } else {
        const t = await exchangeLongLived(secret.accessToken);
        fresh = { accessToken: t.accessToken, refreshToken: null, expiresAt: t.expiresIn ? Date.now() + t.expiresIn * 1000 : null };
      }
    } catch (error) {
      if (error instanceof ProviderError && error.needsReauth) {
        await withTenant(tenantId, (tx) => markCredential(tx, row.id, "needs_reauth", "The provider rejected the stored grant. Reconnect the account."));
        return "needs_reauth";
      }
      if (provider.family === "meta") await withTenant(tenantId, (tx) => markCredential(tx, row.id, "expiring", "The token expires soon and could not be renewed yet."));
      throw error;
    }
    await withTenant(tenantId, (tx) => storeRefreshed(tx, row, fresh));
    await pushToAirbyte(tenantId, slug, accountId, { ...fresh, refreshToken: fresh.refreshToken ?? secret.refreshToken });
    return "refreshed";
  });
}

/** Sends the current secret to the account's Airbyte source (no-op when not provisioned). */
async function pushToAirbyte(tenantId: string, slug: ProviderSlug, accountId: string, secret: AccountSecret): Promise<void> {
  if (!airbyte.airbyteConfigured()) return;
  const [connection] = await withTenant(tenantId, (tx) =>
    tx.select().from(airbyteConnections).where(and(eq(airbyteConnections.provider, slug), eq(airbyteConnections.accountId, accountId))).limit(1),
  );
  if (!connection) return;
  const provider = PROVIDERS[slug];
  await airbyte.updateSource({
    sourceId: connection.sourceId,
    name: resourceName(tenantId, provider, accountId),
    connectionConfiguration: provider.sourceConfig({ accountId, secret, startDate: defaultStartDate(), env: env() }),
  });
}
