/** Refreshes every due credential (Google ahead of expiry, Meta within 7 days). */
import { tokenUpkeepQueue } from "../../server/infra/queue";
import { refreshDueCredentials } from "../../server/services/connectors/token-upkeep";
import { defineProcessor } from "./define";

// A credential whose renewal failed transiently carries its own backoff (`next_refresh_at`, see
// the lifecycle), so the sweep itself does not fail for it: retrying the whole sweep would only
// retry the credentials that are not due yet. The sweep fails (and is retried) when it cannot run.
export const tokenUpkeepProcessor = defineProcessor(tokenUpkeepQueue, () => refreshDueCredentials());
