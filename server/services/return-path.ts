/**
 * Same-site paths a person may be sent back to (after sign-in, after an OAuth round trip). Pure:
 * used by server code, the proxy and the forms alike.
 *
 * A return path is accepted only if it resolves, against our origin, to our origin, starting with
 * a single "/" — judged with the URL parser browsers use, not by looking at the string: browsers
 * drop TAB/CR/LF anywhere in a URL and read "\" as "/", so `/\t/evil.example` or `/\evil.example`
 * become `//evil.example` (another site). The accepted value is the *normalised* path, so what we
 * redirect to is exactly what was checked.
 */

/** Request header through which proxy.ts hands the requested path to the dashboards layout. */
export const RETURN_TO_HEADER = "x-adinsights-return-to";

// Any origin does: a relative path resolves to another origin only by naming one.
const BASE = "http://return-path.invalid";
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
const CONTROL = /[\u0000-\u001f\u007f]/;
const TWO_LEADING_SLASHES = /^[/\\]{2}/;

/** The normalised same-site path, or null when `value` could lead anywhere else. */
export function sameSitePath(value: string): string | null {
  if (!value.startsWith("/") || TWO_LEADING_SLASHES.test(value) || value.includes("\\") || CONTROL.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return null;
  }
  if (url.origin !== BASE) return null;
  // Encoded slashes stay encoded in the path, but a later decoding step must not find `//` either.
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (TWO_LEADING_SLASHES.test(decoded) || decoded.includes("\\") || CONTROL.test(decoded)) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

export function isSameSitePath(value: string): boolean {
  return sameSitePath(value) !== null;
}

export function safeReturnPath(value: string | null | undefined, fallback = "/dashboards"): string {
  return (value ? sameSitePath(value) : null) ?? fallback;
}
