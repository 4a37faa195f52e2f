/**
 * The request path as it is logged: the query string is kept for debugging, but the values of
 * parameters that can carry secrets (OAuth `code`/`state`, tokens, passwords, signatures…) are
 * replaced, and long values are cut so a log line cannot be used to smuggle a payload.
 */
import { isSecretKey, REDACTED } from "../infra/redact";

const MAX_VALUE = 64;

/** tRPC GET calls carry their whole input in `?input=`: any field of it may be a secret. */
const isTrpc = (url: URL) => url.pathname.startsWith("/api/trpc/");

export function loggedPath(url: URL, depth = 0): string {
  if (!url.search) return url.pathname;
  const parts: string[] = [];
  for (const [key, value] of url.searchParams) {
    if (key === "input" && isTrpc(url)) {
      parts.push(`input=${encodeURIComponent(REDACTED)}`);
      continue;
    }
    // A return path carries its own query (`/login?callbackUrl=/dashboards/data-sources?code=…`).
    const nested = depth < 2 && value.startsWith("/") && value.includes("?") ? loggedPath(new URL(value, "http://nested.invalid"), depth + 1) : value;
    const shown = isSecretKey(key) ? REDACTED : nested.length > MAX_VALUE ? `${nested.slice(0, MAX_VALUE)}…` : nested;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(shown)}`);
  }
  return `${url.pathname}?${parts.join("&")}`;
}
