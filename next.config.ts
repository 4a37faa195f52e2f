import type { NextConfig } from "next";
import { API_HEADERS, NO_SCRIPT_CSP, PAGE_HEADERS } from "./server/http/security-headers";

const config: NextConfig = {
  // Served by dist/serve.mjs (server/cli/serve.ts) in production and in the Docker image.
  // The REST contract uses Django-style paths that end in "/", while tRPC URLs (/api/trpc/me.get)
  // must not get one appended. With the redirect turned off, Next routes both "/api/me" and
  // "/api/me/" to the same handler, which the contract allows ("redirected or answered the same").
  skipTrailingSlashRedirect: true,
  poweredByHeader: false,
  // Lets parallel checkouts or test runs keep separate builds (default ".next").
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // Server-only packages that must not be bundled (native/wasm assets, dynamic requires).
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "bullmq", "ioredis"],
  typedRoutes: false,
  async headers() {
    return [
      // Pages get their per-request CSP (with its script nonce) from proxy.ts.
      { source: "/:path((?!api/).*)", headers: PAGE_HEADERS },
      { source: "/auth/:path*", headers: [{ key: "Content-Security-Policy", value: NO_SCRIPT_CSP }] },
      { source: "/api/:path*", headers: API_HEADERS },
    ];
  },
};

export default config;
