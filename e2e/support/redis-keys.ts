import { Redis } from "ioredis";

/** Deletes every key under `prefix` (a test or bench run's counters); quiet when Redis is gone. */
export async function dropRedisKeys(url: string, prefix: string): Promise<void> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  client.on("error", () => {});
  try {
    await client.connect();
    for await (const keys of client.scanStream({ match: `${prefix}*`, count: 500 }) as AsyncIterable<string[]>)
      if (keys.length) await client.del(...keys);
  } catch {
    /* no Redis: the keys expire on their own */
  } finally {
    client.disconnect();
  }
}
