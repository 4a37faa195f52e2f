/**
 * The request path as it is logged: the query string is kept for debugging, but the values of
 * parameters that can carry secrets (OAuth `code`/`state`, tokens, passwords, signatures…) are
 * replaced, and long values are cut so a log line cannot be used to smuggle a payload.
 */
import { isSecretKey, REDACTED } from "../infra/log";

const MAX_VALUE = 64;

export function loggedPath(url: URL): string {
  if (!url.search) return url.pathname;
  const parts: string[] = [];
  for (const [key, value] of url.searchParams) {
    const shown = isSecretKey(key) ? REDACTED : value.length > MAX_VALUE ? `${value.slice(0, MAX_VALUE)}…` : value;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(shown)}`);
  }
  return `${url.pathname}?${parts.join("&")}`;
}
