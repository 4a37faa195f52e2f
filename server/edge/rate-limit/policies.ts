/**
 * Every rate-limit policy in one place (spec/accounts.md "Rate limits").
 *
 * A route opts in by naming a scope in its operation (`throttle: "auth"` or `"public"`, see
 * server/http/operation.ts). A request must pass every policy of its scope; each policy counts
 * per client IP in its own fixed window, shared by all routes of the scope.
 */
import type { Env } from "../../env";

export interface Rate {
  limit: number;
  windowMs: number;
}

export interface Policy {
  /** Part of the Redis key, so two policies never share a counter. */
  name: string;
  rate: Rate;
}

const PERIOD_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** DRF rate syntax: `<count>/<period>`, the period's first letter picks s, m, h or d (`10/min`). */
export function parseRate(text: string): Rate {
  const match = /^(\d+)\/([smhd])\w*$/i.exec(text.trim());
  if (!match) throw new Error(`invalid rate "${text}"`);
  return { limit: Number(match[1]), windowMs: PERIOD_MS[match[2]!.toLowerCase()]! };
}

export const THROTTLE_SCOPES = {
  /** The seven public auth POSTs: token, token refresh, login, password reset (+ confirm), sign-up, accept invite. */
  auth: (e: Env): Policy[] => [
    { name: "auth_burst", rate: parseRate(e.DRF_THROTTLE_AUTH_BURST) },
    { name: "auth_sustained", rate: parseRate(e.DRF_THROTTLE_AUTH_SUSTAINED) },
  ],
  /** The other unauthenticated routes: health probes, timezone, the API schema. */
  public: (e: Env): Policy[] => [{ name: "public", rate: parseRate(e.DRF_THROTTLE_PUBLIC) }],
} as const;

export type ThrottleScope = keyof typeof THROTTLE_SCOPES;
