/** Putting delivery attempts on the webhook queue (job id = delivery + attempt, so adding twice is a no-op). */
import { enqueue, enqueueMany, webhookDeliveryQueue } from "../../../infra/queue";

export const attemptJobId = (deliveryId: string, attempt: number) => `${deliveryId}-a${attempt}`;

/** New deliveries (attempt 0), right after the transaction that wrote them committed. */
export async function queueDeliveries(tenantId: string, deliveryIds: string[], jobSuffix = ""): Promise<void> {
  await enqueueMany(
    webhookDeliveryQueue,
    deliveryIds.map((deliveryId) => ({ payload: { tenantId, deliveryId }, options: { jobId: attemptJobId(deliveryId, 0) + jobSuffix } })),
  );
}

/** The next attempt of a delivery that failed `attempts` times, after `delayMs`. */
export async function queueRetry(tenantId: string, deliveryId: string, attempts: number, delayMs: number): Promise<void> {
  await enqueue(webhookDeliveryQueue, { tenantId, deliveryId }, { jobId: attemptJobId(deliveryId, attempts), delay: Math.max(0, delayMs) });
}
