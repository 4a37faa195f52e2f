/** `jobs/`: the provider's sync runs, newest first, in one statement. */
import { and, desc, eq } from "drizzle-orm";
import { airbyteConnections, syncJobs } from "../../db/schema";
import { withTenant } from "../../db/tenant";
import type { Principal } from "../accounts/principal";
import { badRequest } from "../errors";
import { authorize } from "./access";
import type { ProviderDef } from "./providers";
import { jobsLimit } from "./schemas";
import { jobView } from "./views";

export async function listJobs(principal: Principal, provider: ProviderDef, rawLimit: string | null | undefined) {
  authorize(principal, "jobs");
  const limit = jobsLimit(rawLimit);
  if (limit === null) throw badRequest("limit must be an integer.");
  const rows = await withTenant(principal.tenantId, (tx) =>
    tx
      .select({ job: syncJobs, connection: { id: airbyteConnections.id, name: airbyteConnections.name, connectionId: airbyteConnections.connectionId } })
      .from(syncJobs)
      .innerJoin(airbyteConnections, eq(airbyteConnections.id, syncJobs.connectionRowId))
      .where(and(eq(syncJobs.tenantId, principal.tenantId), eq(syncJobs.provider, provider.slug)))
      .orderBy(desc(syncJobs.createdAt), desc(syncJobs.id))
      .limit(limit),
  );
  const jobs = rows.map((r) => jobView(r.job, r.connection));
  return { provider: provider.slug, count: jobs.length, jobs };
}
