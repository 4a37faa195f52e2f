/** The token refresh sweep (spec "Token upkeep"), fired by a job scheduler on TOKEN_UPKEEP_SCHEDULE. */
import { z } from "zod";
import { env } from "../../../env";
import { defineQueue } from "../define";

export const tokenUpkeepQueue = defineQueue({
  name: "token-upkeep",
  payload: z.object({}),
  // A sweep with transient failures fails, and is retried with backoff (credentials stay valid).
  jobOptions: { attempts: 3, backoff: { type: "exponential", delay: 5_000 } },
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
