/**
 * The client address used for rate limits and audit metadata.
 *
 * Next.js fills `X-Forwarded-For` with the socket address only when the header is absent, so
 * the last entry is the closest hop we can see. With TRUSTED_PROXY_COUNT=N the Nth entry from
 * the right is the client (entries further left are client-supplied and ignored).
 */
import { isIP } from "node:net";
import { env } from "../env";

export function clientIp(headers: Pick<Headers, "get">, trustedProxies = env().TRUSTED_PROXY_COUNT): string | null {
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  const index = hops.length - 1 - trustedProxies;
  const candidate = hops[Math.max(index, 0)];
  if (!candidate) return null;
  const bare = candidate.replace(/^\[|\](:\d+)?$/g, "").replace(/^::ffff:/, "");
  return isIP(bare) ? bare : null;
}
