import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // Tests import server modules directly: `server-only` resolves as it does for Next's server layers.
  resolve: { alias: { "~": path.resolve(import.meta.dirname), "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js") } },
  test: {
    globalSetup: ["e2e/support/global-setup.ts"],
    include: ["server/**/*.test.ts", "worker/**/*.test.ts", "e2e/**/*.test.ts"],
    exclude: ["node_modules/**", ".next*/**", "e2e/browser/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Contract tests share one server; files run in parallel, tests within a file in order.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
