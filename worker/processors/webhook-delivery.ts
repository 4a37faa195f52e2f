/** One attempt of one webhook delivery, or the sweep that re-queues deliveries whose job was lost. */
import { webhookDeliveryQueue } from "../../server/infra/queue";
import { attemptDelivery, sweepDeliveries } from "../../server/services/health/webhooks/deliveries";
import { defineProcessor } from "./define";

export const webhookDeliveryProcessor = defineProcessor(webhookDeliveryQueue, async (data) =>
  "sweep" in data ? { requeued: await sweepDeliveries() } : { result: await attemptDelivery(data.tenantId, data.deliveryId) },
);
