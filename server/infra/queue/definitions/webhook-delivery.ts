/**
 * Webhook deliveries (spec health.md): one job per attempt of one delivery row (job id
 * `<delivery id>-a<attempt>`, so adding it twice is a no-op). Retries are not BullMQ's: the row
 * carries attempts and the next attempt time (exponential backoff for 24 h), and a failed attempt
 * adds the next job with that delay. A scheduler re-queues rows whose job was lost (Redis flushed,
 * a crash between commit and add). Payloads carry ids only, never the secret or the body.
 */
import { z } from "zod";
import { env } from "../../../env";
import { defineQueue } from "../define";

export const webhookDeliveryQueue = defineQueue({
  name: "webhook-delivery",
  payload: z.union([z.object({ tenantId: z.uuid(), deliveryId: z.uuid() }), z.object({ sweep: z.literal(true) })]),
  // The delivery row schedules the receiver's retries; these job retries only cover an attempt
  // that could not run at all (database unreachable), after which the claim lease has expired.
  jobOptions: { attempts: 3, backoff: { type: "exponential", delay: 35_000 }, removeOnComplete: { age: 3600, count: 1000 } },
  // Most of an attempt is waiting on the receiver.
  worker: { concurrency: 50, lockDuration: 30_000 },
  schedulers: [
    {
      id: "webhook-sweep",
      get pattern() {
        return env().WEBHOOK_SWEEP_SCHEDULE;
      },
      tz: "America/Jamaica",
      data: { sweep: true as const },
    },
  ],
});
