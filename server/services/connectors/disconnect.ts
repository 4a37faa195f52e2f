/**
 * `disconnect/`: revoke at the provider (logged and reported, not fatal), pause the Airbyte
 * connections remotely, then in one transaction delete the credentials, mark the connections
 * inactive, cancel queued syncs and write the audit row. Remote calls run outside transactions.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { airbyteConnections, platformCredentials, syncJobs } from "../../db/schema";
import { withTenant } from "../../db/tenant";
import * as airbyte from "../../infra/airbyte/client";
import { log } from "../../infra/log";
import type { Principal } from "../accounts/principal";
import { recordAudit } from "../audit";
import { AppError } from "../errors";
import { authorize } from "./access";
import { markRevoked } from "../health/lifecycle";
import { listCredentials, readSecret } from "./credentials";
import type { ProviderDef } from "./providers";
import type { DisconnectInput } from "./schemas";
import { cancelQueuedSyncs } from "./sync";

export async function disconnect(principal: Principal, provider: ProviderDef, input: DisconnectInput) {
  authorize(principal, "disconnect");
  const accountId = input.external_account_id !== undefined ? (provider.accountId(input.external_account_id) ?? input.external_account_id) : undefined;
  const found = await withTenant(principal.tenantId, async (tx) => {
    const credentials = await listCredentials(tx, principal.tenantId, provider.slug, accountId);
    // From here on upkeep and syncs leave these credentials alone while they are revoked remotely.
    await markRevoked(tx, credentials.map((c) => c.id));
    const secrets = [];
    for (const c of credentials) secrets.push(await readSecret(tx, c, { actorUserId: principal.userId, purpose: "revoke_on_disconnect" }));
    const connections = await tx
      .select()
      .from(airbyteConnections)
      .where(and(eq(airbyteConnections.tenantId, principal.tenantId), eq(airbyteConnections.provider, provider.slug), accountId ? eq(airbyteConnections.accountId, accountId) : undefined));
    return { credentials, secrets, connections };
  });

  let revoked = found.secrets.length > 0;
  for (const secret of found.secrets) {
    try {
      await provider.family.revoke(secret);
    } catch (error) {
      revoked = false;
      log.warn("revoke at provider failed", { provider: provider.slug, error: error instanceof Error ? error.message : String(error) });
    }
  }

  const active = found.connections.filter((c) => c.isActive);
  if (active.length > 0 && airbyte.airbyteConfigured()) {
    for (const c of active) {
      try {
        await airbyte.updateConnection({ connectionId: c.connectionId, status: "inactive" });
      } catch (error) {
        // The local row still goes inactive, so neither our sweep nor `sync/` will run it.
        if (!(error instanceof AppError)) throw error;
        log.warn("pausing airbyte connection failed", { provider: provider.slug, connection_id: c.connectionId });
      }
    }
  }

  const cancelled = await withTenant(principal.tenantId, async (tx) => {
    if (found.credentials.length > 0)
      await tx.delete(platformCredentials).where(inArray(platformCredentials.id, found.credentials.map((c) => c.id)));
    const ids = found.connections.map((c) => c.id);
    let cancelledIds: string[] = [];
    if (ids.length > 0) {
      await tx.update(airbyteConnections).set({ isActive: false, updatedAt: sql`now()` }).where(inArray(airbyteConnections.id, ids));
      cancelledIds = (
        await tx
          .update(syncJobs)
          .set({ status: "cancelled", finishedAt: sql`now()`, error: "Cancelled by disconnect.", updatedAt: sql`now()` })
          .where(and(inArray(syncJobs.connectionRowId, ids), eq(syncJobs.status, "queued")))
          .returning({ id: syncJobs.id })
      ).map((r) => r.id);
    }
    await recordAudit(tx, {
      tenantId: principal.tenantId,
      userId: principal.userId,
      action: "integration_disconnected",
      resourceType: "provider",
      resourceId: provider.slug,
      metadata: { provider: provider.slug, account_id: accountId ?? null, credentials_deleted: found.credentials.length, connections_paused: active.length, revoked },
    });
    return cancelledIds;
  });
  await cancelQueuedSyncs(cancelled);

  return { provider: provider.slug, state: "not_connected" as const, credentials_deleted: found.credentials.length, connections_paused: active.length, revoked };
}
