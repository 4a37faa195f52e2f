/**
 * Per-process fixed-window counters: the limiter used while Redis is unreachable. Same windows
 * and limits as the Redis policies, so a Redis outage changes where counts live, not the rates
 * (with several processes each one counts on its own).
 */
import type { Rate } from "./policies";
import type { Decision } from "./store";

const SWEEP_AT = 10_000;

export class MemoryWindows {
  private readonly counters = new Map<string, { window: number; count: number }>();

  take(key: string, rate: Rate, now = Date.now()): Decision {
    const window = Math.floor(now / rate.windowMs);
    let entry = this.counters.get(key);
    if (!entry || entry.window !== window) {
      if (this.counters.size >= SWEEP_AT) this.sweep(now, rate.windowMs);
      entry = { window, count: 0 };
      this.counters.set(key, entry);
    }
    entry.count += 1;
    return { success: entry.count <= rate.limit, reset: (window + 1) * rate.windowMs };
  }

  /** Drops counters whose window has passed (bounded memory under many client addresses). */
  private sweep(now: number, windowMs: number): void {
    for (const [key, entry] of this.counters) if ((entry.window + 1) * windowMs <= now) this.counters.delete(key);
  }
}
