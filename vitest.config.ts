import path from "node:path";
import { defineConfig } from "vitest/config";

/**
 * Three projects, by what a test needs (README "Tests"):
 *   unit         nothing outside the test process: no Postgres, Redis or build (`npm run test:unit`)
 *   integration  server code in-process against a fresh Postgres database (and Redis): `*.integration.test.ts`
 *   contract     the production build: the shared server, worker and fakes (e2e/api, e2e/faults)
 *                or the built worker and CLIs (`*.contract.test.ts`)
 * A project's global setup runs only when the run includes one of its files.
 */
const INTEGRATION = ["**/*.integration.test.ts"];
const CONTRACT = ["e2e/api/**/*.test.ts", "e2e/faults/**/*.test.ts", "**/*.contract.test.ts"];
const EXCLUDE = ["node_modules/**", ".next*/**", "e2e/browser/**"];

export default defineConfig({
  // Tests import server modules directly: `server-only` resolves as it does for Next's server layers.
  resolve: { alias: { "~": path.resolve(import.meta.dirname), "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js") } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Contract tests share one server; files run in parallel, tests within a file in order.
    fileParallelism: true,
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["server/**/*.test.ts", "worker/**/*.test.ts", "e2e/**/*.test.ts"],
          exclude: [...EXCLUDE, ...INTEGRATION, ...CONTRACT],
        },
      },
      {
        extends: true,
        test: { name: "integration", include: INTEGRATION, exclude: EXCLUDE, globalSetup: ["e2e/support/integration-setup.ts"] },
      },
      {
        extends: true,
        test: { name: "contract", include: CONTRACT, exclude: EXCLUDE, globalSetup: ["e2e/support/contract-setup.ts"] },
      },
    ],
  },
});
