/** Every processor the worker runs: one per queue in server/infra/queue. */
import type { Processor } from "./define";
import { connectorSyncProcessor } from "./connector-sync";
import { emailDeliveryProcessor } from "./email-delivery";
import { rotateDeksProcessor } from "./rotate-deks";
import { syncSweepProcessor } from "./sync-sweep";
import { syncTrackerProcessor } from "./sync-tracker";
import { tokenUpkeepProcessor } from "./token-upkeep";
import { webhookDeliveryProcessor } from "./webhook-delivery";

export const PROCESSORS: Processor[] = [rotateDeksProcessor, connectorSyncProcessor, syncTrackerProcessor, syncSweepProcessor, tokenUpkeepProcessor, emailDeliveryProcessor, webhookDeliveryProcessor];
