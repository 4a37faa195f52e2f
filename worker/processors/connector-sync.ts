/** Runs one sync: trigger (once) and poll the Airbyte job into sync_jobs. */
import { connectorSyncQueue } from "../../server/infra/queue";
import { runSync } from "../../server/services/connectors/sync-runner";
import { defineProcessor } from "./define";

export const connectorSyncProcessor = defineProcessor(connectorSyncQueue, async (data) => ({ status: await runSync(data.tenantId, data.syncJobId) }));
