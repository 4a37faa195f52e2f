/** Refreshes every due credential (Google ahead of expiry, Meta within 7 days). */
import { tokenUpkeepQueue } from "../../server/infra/queue";
import { refreshDueCredentials } from "../../server/services/connectors/token-upkeep";
import { defineProcessor } from "./define";

export const tokenUpkeepProcessor = defineProcessor(tokenUpkeepQueue, async () => {
  const summary = await refreshDueCredentials();
  // Transient failures fail the sweep so BullMQ retries it with backoff.
  if (summary.failed > 0) throw new Error(`token upkeep: ${summary.failed} credentials could not be refreshed`);
  return summary;
});
