import type { NextConfig } from "next";

const config: NextConfig = {
  // Self-contained server bundle for the Docker image (its build sets NEXT_OUTPUT=standalone);
  // `npm start` serves the regular build with `next start`.
  output: process.env.NEXT_OUTPUT === "standalone" ? "standalone" : undefined,
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
};

export default config;
