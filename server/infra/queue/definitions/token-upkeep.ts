/** The token refresh sweep (spec "Token upkeep"), fired by a job scheduler on TOKEN_UPKEEP_SCHEDULE. */
import { z } from "zod";
import { env } from "../../../env";
import { defineQueue } from "../define";

export const tokenUpkeepQueue = defineQueue({
  name: "token-upkeep",
  payload: z.object({}),
  // The next sweep retries whatever failed; a failed sweep is not retried on its own.
  jobOptions: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
  worker: { concurrency: 1, lockDuration: 60_000 },
  schedulers: [
    {
      id: "token-upkeep",
      // Read when the worker registers its schedulers, not at import (builds import this file).
      get pattern() {
        return env().TOKEN_UPKEEP_SCHEDULE;
      },
      tz: "America/Jamaica",
      data: {},
    },
  ],
});
