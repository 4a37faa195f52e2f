/**
 * The sync tracker: every SYNC_TRACKER_INTERVAL_MS one pass follows the active syncs that are due
 * (server/services/connectors/sync-tracker.ts). Each pass is cheap and the next one is never far,
 * so a failed pass (database or Airbyte unreachable) is retried once, soon; the next tick does its
 * work anyway.
 */
import { z } from "zod";
import { env } from "../../../env";
import { defineQueue } from "../define";

export const syncTrackerQueue = defineQueue({
  name: "sync-tracker",
  payload: z.object({}),
  // Ticks come every few seconds: keep a short history, not a month of them.
  jobOptions: { attempts: 2, backoff: { type: "exponential", delay: 1_000 }, removeOnComplete: { count: 100 }, removeOnFail: { age: 24 * 3600, count: 100 } },
  worker: { concurrency: 1, lockDuration: 60_000 },
  schedulers: [
    {
      id: "sync-tracker",
      // Read when the worker registers its schedulers, not at import (builds import this file).
      get every() {
        return env().SYNC_TRACKER_INTERVAL_MS;
      },
      data: {},
    },
  ],
});
