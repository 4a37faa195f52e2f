/** `status/` (one provider) and the all-providers view the Data Sources page loads in one call. */
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Tx } from "../../db/client";
import { airbyteConnections, platformCredentials, syncJobs } from "../../db/schema";
import { withTenant } from "../../db/tenant";
import type { Principal } from "../accounts/principal";
import { authorize } from "./access";
import { PROVIDER_SLUGS, PROVIDERS, type ProviderDef } from "./providers";
import { connectionView, credentialView, jobView } from "./views";

export type ProviderState = "not_connected" | "needs_reauth" | "needs_provisioning" | "paused" | "syncing" | "error" | "connected";

/** Loads credentials, connections and the latest job for some providers: three statements. */
async function load(tx: Tx, tenantId: string, slugs: readonly string[]) {
  const [credentials, connections, latestJobs] = await Promise.all([
    tx.select().from(platformCredentials).where(and(eq(platformCredentials.tenantId, tenantId), inArray(platformCredentials.provider, [...slugs]))).orderBy(desc(platformCredentials.updatedAt)),
    tx.select().from(airbyteConnections).where(and(eq(airbyteConnections.tenantId, tenantId), inArray(airbyteConnections.provider, [...slugs]))).orderBy(desc(airbyteConnections.updatedAt), desc(airbyteConnections.createdAt)),
    tx
      .selectDistinctOn([syncJobs.provider])
      .from(syncJobs)
      .where(and(eq(syncJobs.tenantId, tenantId), inArray(syncJobs.provider, [...slugs])))
      .orderBy(syncJobs.provider, desc(syncJobs.createdAt), desc(sql`${syncJobs.id}`)),
  ]);
  return { credentials, connections, latestJobs };
}

function assemble(provider: ProviderDef, data: Awaited<ReturnType<typeof load>>) {
  const credentials = data.credentials.filter((c) => c.provider === provider.slug);
  const connections = data.connections.filter((c) => c.provider === provider.slug);
  const job = data.latestJobs.find((j) => j.provider === provider.slug) ?? null;
  const latest = connections[0] ?? null;
  const jobConnection = job ? connections.find((c) => c.id === job.connectionRowId) : undefined;

  let state: ProviderState;
  if (credentials.length === 0) state = "not_connected";
  else if (credentials.some((c) => c.tokenStatus === "needs_reauth" || c.tokenStatus === "revoked")) state = "needs_reauth";
  else if (!latest) state = "needs_provisioning";
  else if (!latest.isActive) state = "paused";
  else if (job && (job.status === "queued" || job.status === "running")) state = "syncing";
  else if (job && job.status === "failed") state = "error";
  else state = "connected";

  return {
    provider: provider.slug,
    label: provider.label,
    state,
    credentials: credentials.map(credentialView),
    connections: connections.map(connectionView),
    latest_connection_id: latest?.id ?? null,
    last_job: job && jobConnection ? jobView(job, jobConnection) : null,
  };
}

export async function providerStatus(principal: Principal, provider: ProviderDef) {
  authorize(principal, "status");
  const data = await withTenant(principal.tenantId, (tx) => load(tx, principal.tenantId, [provider.slug]));
  return assemble(provider, data);
}

export async function allProvidersStatus(principal: Principal) {
  authorize(principal, "status");
  const data = await withTenant(principal.tenantId, (tx) => load(tx, principal.tenantId, PROVIDER_SLUGS));
  return PROVIDER_SLUGS.map((slug) => assemble(PROVIDERS[slug], data));
}
