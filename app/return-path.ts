/** Where a signed-out visitor returns after signing in: a path on this site, never another origin. */
export const RETURN_TO_HEADER = "x-adinsights-return-to";

export function safeReturnPath(value: string | null | undefined, fallback = "/dashboards"): string {
  return value && value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\") && !/[\r\n]/.test(value) ? value : fallback;
}
