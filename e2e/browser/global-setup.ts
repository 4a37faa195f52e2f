/** Starts the production app on a fresh database for the browser tests; returns its teardown. */
import path from "node:path";
import { startSesFake } from "../fakes/ses";
import { ARTIFACTS, startStack } from "../support/stack";

export const BROWSER_ADMIN = { email: "admin@example.com", password: "browser-admin-pass" };

export default async function globalSetup() {
  // Invite and reset e-mails go through the real SES code path to the fake, where specs read them.
  const ses = await startSesFake({ verifiedDomains: ["adinsights.test"] });
  const stack = await startStack({
    name: "adinsights_browser",
    log: path.join(ARTIFACTS, "browser-server.log"),
    env: {
      ALLOW_DEFAULT_ADMIN: "true",
      DJANGO_DEFAULT_ADMIN_EMAIL: BROWSER_ADMIN.email,
      DJANGO_DEFAULT_ADMIN_PASSWORD: BROWSER_ADMIN.password,
      DJANGO_DEFAULT_TENANT_NAME: "Browser Test Agency",
      EMAIL_PROVIDER: "ses",
      EMAIL_FROM_ADDRESS: "no-reply@adinsights.test",
      SES_EXPECTED_FROM_DOMAIN: "adinsights.test",
      AWS_ENDPOINT_URL_SESV2: ses.url,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "AKIAFAKESESTESTKEY00",
      AWS_SECRET_ACCESS_KEY: "fake-ses-secret-key-for-tests-only",
    },
  });
  // Workers inherit the environment set here.
  process.env.E2E_BASE_URL = stack.baseUrl;
  process.env.E2E_SES_URL = ses.url;
  process.env.E2E_DATABASE_URL = stack.ownerUrl;
  return async () => {
    await stack.stop();
    await ses.close();
  };
}
