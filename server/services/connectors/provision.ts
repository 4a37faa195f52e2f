/**
 * `provision/`: find-or-create the Airbyte source and connection of one account, updating reused
 * ones with fresh credentials, schedule and status. Serialised per account with a Postgres
 * advisory lock; every Airbyte call runs outside a DB transaction; the source config (which holds
 * secrets) is built at the moment of the call and never logged or stored.
 */
import { sql } from "drizzle-orm";
import { database } from "../../db/client";
import { airbyteConnections } from "../../db/schema";
import { withTenant } from "../../db/tenant";
import { env } from "../../env";
import * as airbyte from "../../infra/airbyte/client";
import type { Principal } from "../accounts/principal";
import { recordAudit } from "../audit";
import { AppError, badRequest, forbidden } from "../errors";
import { authorize } from "./access";
import { listCredentials, readSecret } from "./credentials";
import { defaultStartDate, type ProviderDef } from "./providers";
import { schedulePlan } from "./schedule";
import type { ProvisionInput } from "./schemas";
import { connectionView, credentialView } from "./views";
import { warehousePlacement } from "./warehouse";

/** Airbyte-visible names carry the tenant id, never its name, and never a secret. */
export const resourceName = (tenantId: string, provider: ProviderDef, accountId: string) => `adinsights-${tenantId}-${provider.slug}-${accountId}`;

/** Every stream selected: incremental + append_dedup where the source supports it, else full refresh + overwrite. */
export function selectAllStreams(streams: airbyte.AirbyteStream[]) {
  return {
    streams: streams.map(({ stream, config }) => {
      const cursor = stream.defaultCursorField ?? [];
      const key = stream.sourceDefinedPrimaryKey ?? [];
      const incremental = (stream.supportedSyncModes ?? []).includes("incremental") && (stream.sourceDefinedCursor || cursor.length > 0) && key.length > 0;
      return {
        stream,
        config: {
          ...config,
          selected: true,
          syncMode: incremental ? "incremental" : "full_refresh",
          destinationSyncMode: incremental ? "append_dedup" : "overwrite",
          cursorField: incremental ? cursor : [],
          primaryKey: incremental ? key : [],
        },
      };
    }),
  };
}

export async function provision(principal: Principal, provider: ProviderDef, input: ProvisionInput) {
  authorize(principal, "provision");
  // The platform's workspace and destination apply to tenants (api.md §0.16): choosing another
  // destination is platform staff's decision, never a tenant ADMIN's.
  if ((input.workspace_id !== undefined || input.destination_id !== undefined) && !principal.isSuperuser) throw forbidden();
  const e = env();
  const wanted = input.external_account_id !== undefined ? (provider.accountId(input.external_account_id) ?? input.external_account_id) : undefined;
  const [credential] = await withTenant(principal.tenantId, (tx) => listCredentials(tx, principal.tenantId, provider.slug, wanted));
  if (!credential) throw badRequest(`No credential found for provider '${provider.slug}'. Complete OAuth first.`);
  const workspaceId = input.workspace_id ?? e.AIRBYTE_DEFAULT_WORKSPACE_ID;
  const destinationId = input.destination_id ?? e.AIRBYTE_DEFAULT_DESTINATION_ID;
  if (!workspaceId || !destinationId)
    throw badRequest("workspace_id and destination_id are required unless AIRBYTE_DEFAULT_WORKSPACE_ID and AIRBYTE_DEFAULT_DESTINATION_ID are set.");
  if (!airbyte.airbyteConfigured()) throw new AppError("unavailable", airbyte.AIRBYTE_NOT_CONFIGURED);
  const sourceDefinitionId = input.source_definition_id ?? provider.sourceDefinitionId(e);
  if (!sourceDefinitionId) throw badRequest("Source definition is not configured for this provider.");

  const accountId = credential.accountId;
  const name = resourceName(principal.tenantId, provider, accountId);
  const { withAdvisoryLock } = await database();
  return withAdvisoryLock(`provision:${principal.tenantId}:${provider.slug}:${accountId}`, async () => {
    // Re-read under the lock: a concurrent disconnect or reconnect may have changed the credential.
    const secret = await withTenant(principal.tenantId, async (tx) => {
      const [fresh] = await listCredentials(tx, principal.tenantId, provider.slug, accountId);
      if (!fresh) return null;
      return readSecret(tx, fresh, { actorUserId: principal.userId, purpose: "airbyte_provision" });
    });
    if (!secret) throw badRequest(`No credential found for provider '${provider.slug}'. Complete OAuth first.`);
    const connectionConfiguration = {
      ...provider.sourceConfig({ accountId, secret, startDate: defaultStartDate(), env: e }),
      ...input.source_configuration,
    };

    const existingSource = (await airbyte.listSources(workspaceId)).find((s) => s.name === name);
    const source = existingSource
      ? await airbyte.updateSource({ sourceId: existingSource.sourceId, name, connectionConfiguration })
      : await airbyte.createSource({ workspaceId, sourceDefinitionId, name, connectionConfiguration });
    const syncCatalog = selectAllStreams(await airbyte.discoverStreams(source.sourceId));

    const connectionName = input.connection_name ?? name;
    const plan = schedulePlan(input, e.SYNC_SCHEDULER);
    // Sent on update too: a connection provisioned before tenants had namespaces of their own moves now.
    const placement = warehousePlacement(principal.tenantId, provider.slug, accountId);
    const settings = { name: connectionName, syncCatalog, ...plan.airbyte, ...placement, status: input.is_active ? "active" : "inactive" };
    const existingConnection = (await airbyte.listConnections(workspaceId)).find(
      (c) => c.sourceId === source.sourceId && c.destinationId === destinationId && c.status !== "deprecated",
    );
    const connection = existingConnection
      ? await airbyte.updateConnection({ connectionId: existingConnection.connectionId, ...settings })
      : await airbyte.createConnection({ sourceId: source.sourceId, destinationId, ...settings });

    const row = await withTenant(principal.tenantId, async (tx) => {
      const values = {
        name: connectionName,
        connectionId: connection.connectionId,
        sourceId: source.sourceId,
        workspaceId,
        destinationId,
        ...plan.row,
        namespaceFormat: placement.namespaceFormat,
        streamPrefix: placement.prefix,
        isActive: input.is_active,
      };
      const [saved] = await tx
        .insert(airbyteConnections)
        .values({ tenantId: principal.tenantId, provider: provider.slug, accountId, ...values })
        .onConflictDoUpdate({ target: [airbyteConnections.tenantId, airbyteConnections.provider, airbyteConnections.accountId], set: { ...values, updatedAt: sql`now()` } })
        .returning();
      await recordAudit(tx, {
        tenantId: principal.tenantId,
        userId: principal.userId,
        action: "integration_provisioned",
        resourceType: "airbyte_connection",
        resourceId: saved!.id,
        metadata: { provider: provider.slug, account_id: accountId, source_reused: Boolean(existingSource), connection_reused: Boolean(existingConnection) },
      });
      return saved!;
    });
    return {
      created: !existingConnection,
      body: {
        provider: provider.slug,
        credential: credentialView(credential),
        connection: connectionView(row),
        source: { source_id: source.sourceId, name: source.name },
        source_reused: Boolean(existingSource),
        connection_reused: Boolean(existingConnection),
      },
    };
  });
}
