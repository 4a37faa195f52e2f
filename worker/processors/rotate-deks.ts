/** Runs `rotate-deks`; a run with failed tenants fails the job so BullMQ retries it with backoff. */
import { rotateDeksQueue } from "../../server/infra/queue";
import { log } from "../../server/infra/log";
import { rotateDataKeys } from "../../server/services/vault/rotation";
import { defineProcessor } from "./define";

export const rotateDeksProcessor = defineProcessor(rotateDeksQueue, async (data, job) => {
  // The cutoff is the time the run was due, identical on every retry of this job, so a retry
  // only does the tenants an earlier attempt did not finish.
  const olderThan = data.olderThan ? new Date(data.olderThan) : new Date(job.timestamp + (job.delay ?? 0));
  const summary = await rotateDataKeys({ olderThan, tenantIds: data.tenantIds });
  for (const f of summary.failures) log.warn("rotate-deks tenant failed", { tenant_id: f.tenantId, error: f.error });
  if (summary.failed > 0) throw new Error(`rotate-deks: ${summary.failed} of ${summary.tenants} tenants failed`);
  const { failures: _none, ...counts } = summary;
  return counts;
});
