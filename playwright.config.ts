import { defineConfig } from "@playwright/test";

// Browser tests run in Debian's chromium (never a downloaded browser) against the production
// build, started with a fresh database by e2e/browser/global-setup.ts.
export default defineConfig({
  testDir: "e2e/browser",
  outputDir: "e2e/artifacts/playwright",
  globalSetup: "./e2e/browser/global-setup.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"], ["json", { outputFile: "e2e/artifacts/playwright.json" }]],
  use: {
    baseURL: process.env.E2E_BASE_URL,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-dev-shm-usage"],
    },
  },
});
