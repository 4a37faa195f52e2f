/**
 * The `token-upkeep` queue: a job scheduler fires one job every TOKEN_UPKEEP_INTERVAL_MS; the
 * worker refreshes whatever credentials are due (server/services/connectors/token-upkeep.ts).
 */
import { Queue } from "bullmq";
import { z } from "zod";
import { env } from "../../env";
import { queueConnection, queuePrefix } from "./connection";

export const TOKEN_UPKEEP_QUEUE = "token-upkeep";
export const tokenUpkeepPayload = z.object({}).loose();

/** Installs (or updates) the repeating schedule; idempotent, called by every worker at start. */
export async function scheduleTokenUpkeep(): Promise<Queue> {
  const queue = new Queue(TOKEN_UPKEEP_QUEUE, { connection: queueConnection(), prefix: queuePrefix() });
  await queue.upsertJobScheduler("token-upkeep", { every: env().TOKEN_UPKEEP_INTERVAL_MS }, { name: "upkeep", data: {}, opts: { removeOnComplete: 100, removeOnFail: 100 } });
  return queue;
}
