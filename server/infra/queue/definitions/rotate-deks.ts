/** Weekly re-encryption of every tenant's secrets under a fresh data key (spec: Vault and rotation). */
import { z } from "zod";
import { defineQueue } from "../define";

export const ROTATION_SCHEDULE = { pattern: "30 1 * * 0", tz: "America/Jamaica" } as const;

export const rotateDeksQueue = defineQueue({
  name: "rotate-deks",
  payload: z.object({
    /** Rotate only tenants whose current key is older than this (default: the job's run time),
     *  so a retried or re-run job skips tenants it already rotated. */
    olderThan: z.iso.datetime({ offset: true }).optional(),
    /** Limit the run to these tenants (default: every tenant). */
    tenantIds: z.array(z.uuid()).max(10_000).optional(),
  }),
  // A whole run is retried a few times; each retry only does the tenants still due.
  jobOptions: { attempts: 4, backoff: { type: "exponential", delay: 60_000 } },
  // Long runs keep their lock renewed; a killed worker's run is picked up after lockDuration.
  worker: { concurrency: 1, lockDuration: 60_000 },
  schedulers: [{ id: "rotate-deks-weekly", ...ROTATION_SCHEDULE, data: {} }],
});
