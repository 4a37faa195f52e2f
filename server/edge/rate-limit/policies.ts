/**
 * Every rate-limit policy in one place (spec/accounts.md "Rate limits"), one table for both kinds:
 *
 * - `client` scopes count per client IP. The public and auth routes carry them, before anyone is
 *   known (`throttle: "auth"` or `"public"` in an operation, `throttledProcedure` in tRPC).
 * - `user` scopes count per signed-in user (keyed by tenant and user id), for the signed-in
 *   actions that cost something: invitation e-mails, Airbyte syncs and provisions, OAuth flows.
 *   An IP bucket cannot hold these — one ADMIN token can come from anywhere — so an operation
 *   names the scope (`throttle: "invites"`) and the glue applies it after authentication and the
 *   role check; the tRPC procedure of the same action uses `userThrottle("invites")`. The scope
 *   is the bucket, so REST and tRPC share it.
 *
 * A request must pass every policy of its scope; each policy counts in its own fixed window,
 * shared by all routes of the scope.
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

/** Who a scope counts: the client address, or the signed-in user. */
export type Subject = "client" | "user";

interface ScopeDef {
  subject: Subject;
  policies(e: Env): Policy[];
}

const PERIOD_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** DRF rate syntax: `<count>/<period>`, the period's first letter picks s, m, h or d (`10/min`). */
export function parseRate(text: string): Rate {
  const match = /^(\d+)\/([smhd])\w*$/i.exec(text.trim());
  if (!match) throw new Error(`invalid rate "${text}"`);
  return { limit: Number(match[1]), windowMs: PERIOD_MS[match[2]!.toLowerCase()]! };
}

const client = (policies: ScopeDef["policies"]) => ({ subject: "client" as const, policies });
const user = (policies: ScopeDef["policies"]) => ({ subject: "user" as const, policies });

export const THROTTLE_SCOPES = {
  /** The seven public auth POSTs: token, token refresh, login, password reset (+ confirm), sign-up, accept invite. */
  auth: client((e) => [
    { name: "auth_burst", rate: parseRate(e.DRF_THROTTLE_AUTH_BURST) },
    { name: "auth_sustained", rate: parseRate(e.DRF_THROTTLE_AUTH_SUSTAINED) },
  ]),
  /** The other unauthenticated routes: health probes, timezone, the API schema. */
  public: client((e) => [{ name: "public", rate: parseRate(e.DRF_THROTTLE_PUBLIC) }]),
  /** Each sends an invitation e-mail: invites and resends, on every path, share one bucket. */
  invites: user((e) => [
    { name: "user_invites_burst", rate: parseRate(e.USER_THROTTLE_INVITES_BURST) },
    { name: "user_invites_sustained", rate: parseRate(e.USER_THROTTLE_INVITES_SUSTAINED) },
  ]),
  /** `sync/`: each may start an Airbyte job. */
  sync: user((e) => [{ name: "user_sync", rate: parseRate(e.USER_THROTTLE_SYNC) }]),
  /** `oauth/start/` and `reconnect/` (one flow): each writes a state row and sends the person to the provider. */
  connect: user((e) => [{ name: "user_connect", rate: parseRate(e.USER_THROTTLE_CONNECT) }]),
  /** `provision/`: creates or updates an Airbyte source and connection. */
  provision: user((e) => [{ name: "user_provision", rate: parseRate(e.USER_THROTTLE_PROVISION) }]),
} as const satisfies Record<string, ScopeDef>;

export type ThrottleScope = keyof typeof THROTTLE_SCOPES;
type ScopesOf<S extends Subject> = { [K in ThrottleScope]: (typeof THROTTLE_SCOPES)[K]["subject"] extends S ? K : never }[ThrottleScope];
/** Scopes counted per client address. */
export type ClientScope = ScopesOf<"client">;
/** Scopes counted per signed-in user. */
export type UserScope = ScopesOf<"user">;

export const isUserScope = (scope: ThrottleScope): scope is UserScope => THROTTLE_SCOPES[scope].subject === "user";
