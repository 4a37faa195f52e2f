/** Refreshes every due credential (Google ahead of expiry, Meta within 7 days). */
import { tokenUpkeepQueue } from "../../server/infra/queue";
import { refreshDueCredentials } from "../../server/services/connectors/token-upkeep";
import { defineProcessor } from "./define";

export const tokenUpkeepProcessor = defineProcessor(tokenUpkeepQueue, () => refreshDueCredentials());
