/**
 * Retries of the e-mail outbox (spec "E-mail": send failures are retried on the worker). Requests
 * try to send right after commit; this sweep sends whatever is still due (failed attempts after
 * their backoff, and rows whose request-time attempt never ran).
 */
import { z } from "zod";
import { defineQueue } from "../define";

export const emailDeliveryQueue = defineQueue({
  name: "email-delivery",
  payload: z.object({}),
  // A bad message never fails the sweep (rows carry their own attempts and backoff); the job
  // itself is retried only when the sweep cannot run (database unreachable).
  jobOptions: { attempts: 3, backoff: { type: "exponential", delay: 10_000 } },
  worker: { concurrency: 1, lockDuration: 60_000 },
  schedulers: [{ id: "email-delivery", pattern: "* * * * *", tz: "America/Jamaica", data: {} }],
});
