/**
 * Token upkeep (worker): each family renews its stored secrets ahead of expiry as its registry
 * entry says (Google: refresh ~5 minutes ahead; Meta: re-exchange within 7 days). Each credential
 * is renewed under its own advisory lock and through the lifecycle: refreshing → valid; a rejected
 * grant → needs_reauth (event + one e-mail, no retry); a transient failure → back off
 * (`next_refresh_at`), the credential staying `valid` (Google) or `expiring` (Meta); the failures
 * are counted and logged. Renewed secrets are pushed to Airbyte.
 */
import { and, eq, isNotNull, isNull, lt, or, inArray, notInArray } from "drizzle-orm";
import { database } from "../../db/client";
import { airbyteConnections, platformCredentials } from "../../db/schema";
import { listTenantIds } from "../../db/system";
import { withTenant } from "../../db/tenant";
import { env } from "../../env";
import * as airbyte from "../../infra/airbyte/client";
import { log } from "../../infra/log";
import { withTenantThen } from "../health/after-commit";
import { beginRenewal, markNeedsReauth, renewalFailed } from "../health/lifecycle";
import { listCredentials, readSecret, storeRefreshed } from "./credentials";
import { resourceName } from "./provision";
import { defaultStartDate, FAMILIES, PROVIDER_SLUGS, PROVIDERS, type AccountSecret, type ProviderSlug } from "./providers";

const JOB = { actorUserId: null, job: "token_upkeep", purpose: "token_refresh" };

export interface UpkeepSummary {
  refreshed: number;
  needsReauth: number;
  failed: number;
}

/** Credentials that some family wants renewed now (its window, its refresh-token rule, past any backoff). */
function dueCondition(now: number) {
  return and(
    notInArray(platformCredentials.tokenStatus, ["needs_reauth", "revoked"]),
    isNotNull(platformCredentials.expiresAt),
    or(isNull(platformCredentials.nextRefreshAt), lt(platformCredentials.nextRefreshAt, new Date(now))),
    or(
      ...FAMILIES.map((family) =>
        and(
          inArray(platformCredentials.provider, PROVIDER_SLUGS.filter((s) => PROVIDERS[s].family === family)),
          family.renewal.needsRefreshToken ? isNotNull(platformCredentials.refreshTokenEnc) : undefined,
          lt(platformCredentials.expiresAt, new Date(now + family.renewal.aheadMs)),
        ),
      ),
    ),
  );
}

/** Every tenant's credentials that are due, in turn. Transient failures are counted (each credential backs off on its own). */
export async function refreshDueCredentials(now = Date.now()): Promise<UpkeepSummary> {
  const summary: UpkeepSummary = { refreshed: 0, needsReauth: 0, failed: 0 };
  for (const tenantId of await listTenantIds()) {
    const due = await withTenant(tenantId, (tx) =>
      tx
        .select({ id: platformCredentials.id, provider: platformCredentials.provider, accountId: platformCredentials.accountId })
        .from(platformCredentials)
        .where(dueCondition(now)),
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

/** Renews one credential under its lock; re-checks due-ness after taking the lock. */
export async function refreshCredential(tenantId: string, slug: ProviderSlug, accountId: string): Promise<"refreshed" | "needs_reauth" | "skipped" | "failed"> {
  const provider = PROVIDERS[slug];
  const { renewal } = provider.family;
  const { withAdvisoryLock } = await database();
  return withAdvisoryLock(`credential:${tenantId}:${slug}:${accountId}`, async () => {
    const loaded = await withTenant(tenantId, async (tx) => {
      const [row] = await listCredentials(tx, tenantId, slug, accountId);
      if (!row || row.tokenStatus === "needs_reauth" || row.tokenStatus === "revoked") return null;
      const secret = await readSecret(tx, row, JOB);
      // Another worker renewed it meanwhile: nothing to do (and no state change).
      if (secret.expiresAt === null || secret.expiresAt > Date.now() + renewal.aheadMs) return null;
      const held = await beginRenewal(tx, row.id);
      return held ? { row: held, secret } : null;
    });
    if (!loaded) return "skipped";
    const { row, secret } = loaded;

    let fresh: AccountSecret;
    try {
      fresh = await renewal.renew(secret);
    } catch (error) {
      if (provider.family.classify(error) === "needs_reauth") {
        await withTenantThen(tenantId, (tx, after) => markNeedsReauth(tx, tenantId, row.id, "The provider rejected the stored grant. Reconnect the account.", after));
        return "needs_reauth";
      }
      await withTenant(tenantId, (tx) => renewalFailed(tx, row.id, renewal.whileFailing, "The token expires soon and could not be renewed yet."));
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
