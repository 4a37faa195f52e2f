/**
 * BullMQ's Redis settings: the same REDIS_URL as the rest of the app, every key under
 * QUEUE_PREFIX (so deployments and test runs sharing a Redis never see each other's queues).
 * BullMQ opens its own connections from these options (blocking commands need their own).
 */
import type { ConnectionOptions } from "bullmq";
import { env } from "../../env";

export function queueConnection(): ConnectionOptions {
  // maxRetriesPerRequest: null is what BullMQ workers require; producers tolerate it too.
  return { url: env().REDIS_URL, maxRetriesPerRequest: null, connectTimeout: 5000 };
}

export const queuePrefix = (): string => env().QUEUE_PREFIX;
