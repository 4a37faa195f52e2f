/** One pass of the sync tracker: follows the active syncs that are due (batched Airbyte calls). */
import { syncTrackerQueue } from "../../server/infra/queue";
import { followActiveSyncs } from "../../server/services/connectors/sync-tracker";
import { defineProcessor } from "./define";

export const syncTrackerProcessor = defineProcessor(syncTrackerQueue, () => followActiveSyncs());
