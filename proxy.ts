/**
 * Next.js proxy (runs before the dashboards render): hands the requested path and query to the
 * dashboards layout, which cannot see the URL itself, so a signed-out visitor is sent to the login
 * page and then back to exactly where they were. That matters for the OAuth return: a session that
 * ended while the person was on a provider's consent screen must not lose the returned code.
 */
import { NextResponse, type NextRequest } from "next/server";
import { RETURN_TO_HEADER } from "./server/services/return-path";

export function proxy(request: NextRequest) {
  const headers = new Headers(request.headers);
  headers.set(RETURN_TO_HEADER, request.nextUrl.pathname + request.nextUrl.search);
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: ["/dashboards", "/dashboards/:path*"] };
