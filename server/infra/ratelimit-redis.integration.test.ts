/** The ioredis adapter against a real Redis: Upstash's scripts run (shebang stripped), atomically. */
import { randomUUID } from "node:crypto";
import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "ioredis";
import { afterAll, expect, test } from "vitest";
import { IoredisScripts } from "./ratelimit-redis";

const client = new Redis(process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/0");
const adapter = new IoredisScripts(() => client);
const prefix = `adinsights-unit-${randomUUID()}`;

afterAll(async () => {
  const keys = await client.keys(`${prefix}*`);
  if (keys.length) await client.del(...keys);
  client.disconnect();
});

const limiter = (limit: number) =>
  new Ratelimit({
    redis: adapter as unknown as ConstructorParameters<typeof Ratelimit>[0]["redis"],
    limiter: Ratelimit.fixedWindow(limit, "1 h"),
    prefix,
    ephemeralCache: false,
    analytics: false,
  });

test("200 concurrent takes against a limit of 37 allow exactly 37", async () => {
  const rl = limiter(37);
  const id = randomUUID();
  const results = await Promise.all(Array.from({ length: 200 }, () => rl.limit(id)));
  expect(results.filter((r) => r.success)).toHaveLength(37);
  expect(results.every((r) => r.reason === undefined)).toBe(true); // answered by Redis, not a timeout
  expect(await client.keys(`${prefix}:${id}:*`)).toHaveLength(1);
});

test("the script runs by SHA after the first call (no re-sending the body)", async () => {
  const rl = limiter(5);
  await rl.limit(randomUUID());
  const before = Number((await client.info("commandstats")).match(/cmdstat_eval:calls=(\d+)/)?.[1] ?? 0);
  for (let i = 0; i < 5; i++) await rl.limit(randomUUID());
  const after = Number((await client.info("commandstats")).match(/cmdstat_eval:calls=(\d+)/)?.[1] ?? 0);
  // Other test runs may share this Redis; our five calls must not all have needed EVAL.
  expect(after - before).toBeLessThan(5);
});

test("a Redis that has never seen the script (e.g. after SCRIPT FLUSH) still answers", async () => {
  const fresh = new IoredisScripts(() => client);
  const rl = new Ratelimit({
    redis: fresh as unknown as ConstructorParameters<typeof Ratelimit>[0]["redis"],
    limiter: Ratelimit.fixedWindow(1, "1 h"),
    prefix,
    ephemeralCache: false,
  });
  const id = randomUUID();
  expect((await rl.limit(id)).success).toBe(true);
  expect((await rl.limit(id)).success).toBe(false);
});
