/** Starts the production app on a fresh database for the browser tests; returns its teardown. */
import path from "node:path";
import { ARTIFACTS, startStack } from "../support/stack";

export const BROWSER_ADMIN = { email: "admin@example.com", password: "browser-admin-pass" };

export default async function globalSetup() {
  const stack = await startStack({
    name: "adinsights_browser",
    log: path.join(ARTIFACTS, "browser-server.log"),
    env: {
      ALLOW_DEFAULT_ADMIN: "true",
      DJANGO_DEFAULT_ADMIN_EMAIL: BROWSER_ADMIN.email,
      DJANGO_DEFAULT_ADMIN_PASSWORD: BROWSER_ADMIN.password,
      DJANGO_DEFAULT_TENANT_NAME: "Browser Test Agency",
    },
  });
  // Workers inherit the environment set here.
  process.env.E2E_BASE_URL = stack.baseUrl;
  return () => stack.stop();
}
