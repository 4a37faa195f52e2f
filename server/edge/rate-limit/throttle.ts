/** Applies a scope's policies to a request and turns a denial into DRF's 429. */
import { env } from "../../env";
import { AppError } from "../../services/errors";
import { THROTTLE_SCOPES, type ThrottleScope } from "./policies";
import { LimitStore } from "./store";

const holder = globalThis as unknown as { __adinsightsLimitStore?: LimitStore };
const store = () => (holder.__adinsightsLimitStore ??= new LimitStore(env().REDIS_KEY_PREFIX));

export const throttled = (seconds: number) =>
  new AppError("throttled", `Request was throttled. Expected available in ${seconds} seconds.`, {
    retryAfterSeconds: seconds,
  });

/** Counts the request against every policy of `scope`; throws 429 when any of them is exhausted. */
export async function throttle(scope: ThrottleScope, ip: string | null): Promise<void> {
  const e = env();
  if (!e.RATE_LIMITS_ENABLED) return;
  const identifier = ip ?? "unknown";
  const policies = THROTTLE_SCOPES[scope](e);
  const decisions = await Promise.all(policies.map((policy) => store().take(policy, identifier)));
  const denied = decisions.filter((d) => !d.success);
  if (denied.length === 0) return;
  // Available again only when every exhausted window has rolled over.
  const reset = Math.max(...denied.map((d) => d.reset));
  throw throttled(Math.max(1, Math.ceil((reset - Date.now()) / 1000)));
}
