/**
 * Next.js proxy: runs before every page renders.
 *
 * 1. A fresh script nonce per request and the page CSP built around it (security-headers.ts
 *    `pageCsp`). The CSP goes on the request too: Next reads the nonce from it and puts it on its
 *    own scripts. Every page is therefore rendered per request (see app/layout.tsx).
 * 2. For the dashboards: hands the requested path and query to the layout, which cannot see the URL
 *    itself, so a signed-out visitor is sent to the login page and then back to exactly where they
 *    were. That matters for the OAuth return: a session that ended while the person was on a
 *    provider's consent screen must not lose the returned code.
 */
import { NextResponse, type NextRequest } from "next/server";
import { pageCsp } from "./server/http/security-headers";
import { RETURN_TO_HEADER } from "./server/services/return-path";

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = pageCsp(nonce, { development: process.env.NODE_ENV === "development" });
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", csp);
  headers.set("x-nonce", nonce);
  const { pathname, search } = request.nextUrl;
  if (pathname === "/dashboards" || pathname.startsWith("/dashboards/")) headers.set(RETURN_TO_HEADER, pathname + search);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  return response;
}

// Every page; not the API (its own strict CSP), next-auth's endpoints, or static files.
export const config = { matcher: ["/((?!api(?:/|$)|auth/|_next/static/|_next/image/|favicon\\.ico).*)"] };
