/** Queue plumbing shared by producers (app) and workers: one Redis connection and a per-deployment key prefix. */
import { Redis } from "ioredis";
import { env } from "../../env";

const holder = globalThis as unknown as { __adinsightsQueueRedis?: Redis };

/** BullMQ needs `maxRetriesPerRequest: null` on its connections. */
export function queueConnection(): Redis {
  holder.__adinsightsQueueRedis ??= new Redis(env().REDIS_URL, { maxRetriesPerRequest: null, connectTimeout: 5_000 }).on("error", () => {});
  return holder.__adinsightsQueueRedis;
}

export const queuePrefix = () => env().QUEUE_PREFIX;
