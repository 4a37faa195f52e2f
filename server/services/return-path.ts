/**
 * Same-site paths a person may be sent back to (after sign-in, after an OAuth round trip). Pure:
 * used by server code, the proxy and the login form in the browser alike.
 */

/** Request header through which proxy.ts hands the requested path to the dashboards layout. */
export const RETURN_TO_HEADER = "x-adinsights-return-to";

/** Starts with one slash; no scheme, no protocol-relative `//`, no backslash tricks, no line breaks. */
export function isSameSitePath(value: string): boolean {
  return value.startsWith("/") && !value.startsWith("//") && !value.includes("\\") && !/[\r\n]/.test(value);
}

export function safeReturnPath(value: string | null | undefined, fallback = "/dashboards"): string {
  return value && isSameSitePath(value) ? value : fallback;
}
