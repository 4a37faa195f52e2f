/**
 * The sync sweep: enqueues due runs of connections whose schedule our worker manages
 * (SYNC_SCHEDULER=worker at provision time). Connections Airbyte schedules itself are left alone.
 */
import { z } from "zod";
import { env } from "../../../env";
import { defineQueue } from "../define";

export const syncSweepQueue = defineQueue({
  name: "sync-sweep",
  payload: z.object({}),
  // A sweep that cannot reach the database is retried; a missed sweep is caught up by the next one.
  jobOptions: { attempts: 3, backoff: { type: "exponential", delay: 5_000 } },
  worker: { concurrency: 1, lockDuration: 60_000 },
  schedulers: [
    {
      id: "sync-sweep",
      // Read when the worker registers its schedulers, not at import (builds import this file).
      get pattern() {
        return env().SYNC_SWEEP_SCHEDULE;
      },
      tz: "America/Jamaica",
      data: {},
    },
  ],
});
