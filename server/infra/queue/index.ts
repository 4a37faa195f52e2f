/**
 * Every queue of the product. Adding one: a definition file in ./definitions, a line here, and a
 * processor in worker/processors (registered in worker/processors/index.ts).
 */
import type { QueueDefinition } from "./define";
import { connectorSyncQueue } from "./definitions/connector-sync";
import { emailDeliveryQueue } from "./definitions/email-delivery";
import { rotateDeksQueue } from "./definitions/rotate-deks";
import { syncSweepQueue } from "./definitions/sync-sweep";
import { syncTrackerQueue } from "./definitions/sync-tracker";
import { tokenUpkeepQueue } from "./definitions/token-upkeep";
import { webhookDeliveryQueue } from "./definitions/webhook-delivery";

export const QUEUES: QueueDefinition[] = [rotateDeksQueue, connectorSyncQueue, syncTrackerQueue, syncSweepQueue, tokenUpkeepQueue, emailDeliveryQueue, webhookDeliveryQueue];

export { rotateDeksQueue, ROTATION_SCHEDULE } from "./definitions/rotate-deks";
export { connectorSyncQueue } from "./definitions/connector-sync";
export { syncSweepQueue } from "./definitions/sync-sweep";
export { syncTrackerQueue } from "./definitions/sync-tracker";
export { tokenUpkeepQueue } from "./definitions/token-upkeep";
export { emailDeliveryQueue } from "./definitions/email-delivery";
export { webhookDeliveryQueue } from "./definitions/webhook-delivery";
export { defineQueue, DEFAULT_JOB_OPTIONS, type QueueDefinition, type PayloadOf, type SchedulerDefinition } from "./define";
export { enqueue, enqueueMany, queueFor, closeQueues } from "./producer";
export { queueConnection, queuePrefix } from "./connection";
export { describeRepeat, missingSchedulers, upsertScheduler, type SchedulerRef } from "./schedulers";
