/**
 * Security headers for every response. Applied twice on purpose: by next.config.ts `headers()`
 * (every route Next renders, also under `next dev`) and by the production server
 * (server/cli/serve.ts) before Next runs, so answers Next produces before routing (its 308 for
 * `//` paths, for example) carry them too.
 *
 * The API never renders HTML, so it gets the strictest CSP. Pages get theirs per request from
 * proxy.ts (`pageCsp`): scripts run only with that request's nonce, which Next puts on its own
 * scripts.
 */
type Header = { key: string; value: string };

const COMMON: Header[] = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
];

export const PAGE_HEADERS: Header[] = [
  ...COMMON,
  // OAuth callbacks carry codes in the query string: other sites see only our origin.
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
];

/**
 * The page CSP (api.md §0, security review item 8). `'strict-dynamic'` with a per-request nonce:
 * only scripts carrying the nonce (Next's bootstrap and chunks) and what they load may run, so an
 * injected `<script>` or inline handler does not. Styles: our stylesheets and nonce'd `<style>`
 * elements; `style` attributes are allowed (React writes them, and they cannot run code).
 * `next dev` needs eval for its refresh runtime; production never gets it.
 */
export function pageCsp(nonce: string, { development = false } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${development ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** For HTML that proxy.ts does not see (next-auth's own pages under /auth): no script at all. */
export const NO_SCRIPT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export const API_HEADERS: Header[] = [
  ...COMMON,
  { key: "Referrer-Policy", value: "no-referrer" },
  { key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'" },
];

/** The set for a request path. */
export const securityHeadersFor = (pathname: string): Header[] =>
  pathname === "/api" || pathname.startsWith("/api/") ? API_HEADERS : PAGE_HEADERS;
