/**
 * Where counters live: Redis (ours through ioredis, or Upstash over REST when configured) via
 * @upstash/ratelimit's atomic fixed-window script, falling back to per-process memory when Redis
 * cannot answer. The spec fails *closed to memory*: a Redis outage never turns into a 500 and
 * never lifts the limits; it is logged as an error.
 */
import { Ratelimit } from "@upstash/ratelimit";
import { Redis as UpstashRedis } from "@upstash/redis";
import { env } from "../../env";
import { log } from "../../infra/log";
import { ratelimitRedis } from "../../infra/ratelimit-redis";
import { MemoryWindows } from "./memory";
import type { Policy } from "./policies";

export interface Decision {
  success: boolean;
  /** Epoch ms when the current window ends and the counter starts again. */
  reset: number;
}

/** How long a Redis answer may take (a server that accepts but does not answer) before the request is counted in memory instead. */
const REDIS_TIMEOUT_MS = 4_000;
/** At most one "Redis unreachable" error line per interval, so an outage does not flood the log. */
const ERROR_LOG_INTERVAL_MS = 10_000;
/** After a failure, count in memory for this long before asking Redis again (no per-request timeouts). */
const RETRY_REDIS_AFTER_MS = 2_000;

type Backend = ConstructorParameters<typeof Ratelimit>[0]["redis"];

function backend(): { redis: Backend; kind: "upstash" | "redis" } {
  const e = env();
  if (e.UPSTASH_REDIS_REST_URL && e.UPSTASH_REDIS_REST_TOKEN)
    return { redis: new UpstashRedis({ url: e.UPSTASH_REDIS_REST_URL, token: e.UPSTASH_REDIS_REST_TOKEN }), kind: "upstash" };
  return { redis: ratelimitRedis() as unknown as Backend, kind: "redis" };
}

export class LimitStore {
  private readonly limiters = new Map<string, Ratelimit>();
  private readonly memory = new MemoryWindows();
  private lastErrorLog = 0;
  private redisDownUntil = 0;
  private readonly target = backend();

  constructor(private readonly keyPrefix: string) {}

  private limiter(policy: Policy): Ratelimit {
    const id = `${policy.name}:${policy.rate.limit}:${policy.rate.windowMs}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = new Ratelimit({
        redis: this.target.redis,
        limiter: Ratelimit.fixedWindow(policy.rate.limit, `${policy.rate.windowMs} ms`),
        prefix: `${this.keyPrefix}:throttle:${policy.name}`,
        timeout: REDIS_TIMEOUT_MS,
        analytics: false,
      });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  /** Counts one request of `identifier` against `policy`. */
  async take(policy: Policy, identifier: string): Promise<Decision> {
    const memoryKey = `${policy.name}:${identifier}`;
    if (Date.now() < this.redisDownUntil) return this.memory.take(memoryKey, policy.rate);
    try {
      const result = await this.limiter(policy).limit(identifier);
      // The library answers "success" when Redis is too slow; we count in memory instead.
      if (result.reason === "timeout") throw new Error(`no answer within ${REDIS_TIMEOUT_MS} ms`);
      return { success: result.success, reset: result.reset };
    } catch (error) {
      this.redisDownUntil = Date.now() + RETRY_REDIS_AFTER_MS;
      this.reportOutage(error);
      return this.memory.take(memoryKey, policy.rate);
    }
  }

  private reportOutage(error: unknown): void {
    const now = Date.now();
    if (now - this.lastErrorLog < ERROR_LOG_INTERVAL_MS) return;
    this.lastErrorLog = now;
    log.error("rate limiter: redis unreachable, counting in process memory", {
      backend: this.target.kind,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
