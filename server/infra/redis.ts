/** The shared ioredis connection (rate limits, OAuth selection cache, readiness probe). */
import { Redis } from "ioredis";
import { env } from "../env";

const holder = globalThis as unknown as { __adinsightsRedis?: Redis };

export function redis(): Redis {
  holder.__adinsightsRedis ??= new Redis(env().REDIS_URL, {
    // Commands fail fast while Redis is down instead of queueing behind a reconnect; callers
    // decide what "down" means (the rate limiter falls back, readiness reports it).
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    // Commands issued in the same tick (the rate-limit checks of concurrent requests) leave in one
    // write instead of one each.
    enableAutoPipelining: true,
  }).on("error", () => {
    /* connection errors surface on the commands that need Redis */
  });
  return holder.__adinsightsRedis;
}

/** Resolves once the connection is usable (first use right after start), or rejects after `ms`. */
export function redisReady(ms: number): Promise<Redis> {
  const client = redis();
  if (client.status === "ready") return Promise.resolve(client);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off("ready", onReady);
      reject(new Error("redis not ready"));
    }, ms);
    const onReady = () => {
      clearTimeout(timer);
      resolve(client);
    };
    client.once("ready", onReady);
  });
}

export async function closeRedis(): Promise<void> {
  const client = holder.__adinsightsRedis;
  holder.__adinsightsRedis = undefined;
  if (client) await client.quit().catch(() => client.disconnect());
}
