/** Applies a scope's policies to a request and turns a denial into DRF's 429. */
import { env } from "../../env";
import { AppError } from "../../services/errors";
import type { Env } from "../../env";
import { THROTTLE_SCOPES, type ClientScope, type Policy, type ThrottleScope, type UserScope } from "./policies";
import { LimitStore } from "./store";

const holder = globalThis as unknown as { __adinsightsLimitStore?: LimitStore };
const store = () => (holder.__adinsightsLimitStore ??= new LimitStore(env().REDIS_KEY_PREFIX));

export const throttled = (seconds: number) =>
  new AppError("throttled", `Request was throttled. Expected available in ${seconds} seconds.`, {
    retryAfterSeconds: seconds,
  });

/** A scope's policies, parsed from the environment once rather than on every request. */
const parsed = new WeakMap<Env, Map<ThrottleScope, Policy[]>>();
function policiesOf(scope: ThrottleScope, e: Env): Policy[] {
  let byScope = parsed.get(e);
  if (!byScope) parsed.set(e, (byScope = new Map()));
  let policies = byScope.get(scope);
  if (!policies) byScope.set(scope, (policies = THROTTLE_SCOPES[scope].policies(e)));
  return policies;
}

/** Counts one request of `identifier` against every policy of `scope`; throws 429 when any is exhausted. */
async function take(scope: ThrottleScope, identifier: string): Promise<void> {
  const e = env();
  if (!e.RATE_LIMITS_ENABLED) return;
  const policies = policiesOf(scope, e);
  const decisions = await Promise.all(policies.map((policy) => store().take(policy, identifier)));
  const denied = decisions.filter((d) => !d.success);
  if (denied.length === 0) return;
  // Available again only when every exhausted window has rolled over.
  const reset = Math.max(...denied.map((d) => d.reset));
  throw throttled(Math.max(1, Math.ceil((reset - Date.now()) / 1000)));
}

/** A client-address scope (public and auth routes): counted per IP. */
export function throttle(scope: ClientScope, ip: string | null): Promise<void> {
  return take(scope, ip ?? "unknown");
}

/**
 * A per-user scope (signed-in actions that cost something): counted per user, wherever the
 * requests come from. The tenant is part of the key too, so the bucket names its owner the way
 * every other per-user key of ours does.
 */
export function throttleUser(scope: UserScope, who: { tenantId: string; userId: string }): Promise<void> {
  return take(scope, `${who.tenantId}:${who.userId}`);
}
