/**
 * Security headers for every response. Applied twice on purpose: by next.config.ts `headers()`
 * (every route Next renders, also under `next dev`) and by the production server
 * (server/cli/serve.ts) before Next runs, so answers Next produces before routing (its 308 for
 * `//` paths, for example) carry them too.
 *
 * The API never renders HTML, so it gets the strictest CSP; pages keep Next's inline bootstrap
 * working but may not be framed.
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
  { key: "Content-Security-Policy", value: "frame-ancestors 'none'; base-uri 'self'; object-src 'none'; form-action 'self'" },
];

export const API_HEADERS: Header[] = [
  ...COMMON,
  { key: "Referrer-Policy", value: "no-referrer" },
  { key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'" },
];

/** The set for a request path. */
export const securityHeadersFor = (pathname: string): Header[] =>
  pathname === "/api" || pathname.startsWith("/api/") ? API_HEADERS : PAGE_HEADERS;
