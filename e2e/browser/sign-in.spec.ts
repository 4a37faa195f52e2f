import { expect, test } from "@playwright/test";
import { BROWSER_ADMIN } from "./global-setup";

test.use({ baseURL: process.env.E2E_BASE_URL });

test("an anonymous visitor is sent to the sign-in page", async ({ page }) => {
  await page.goto("/dashboards");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("heading", { name: "Sign in to ADinsights" })).toBeVisible();
});

test("a wrong password shows a readable error and keeps the user on the page", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(BROWSER_ADMIN.email);
  await page.getByLabel("Password").fill("definitely-wrong");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("main").getByRole("alert").filter({ hasText: "incorrect" })).toHaveText("E-mail or password is incorrect.");
  await expect(page).toHaveURL(/\/login/);
});

test("the admin signs in, sees the overview, and signs out", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(BROWSER_ADMIN.email);
  await page.getByLabel("Password").fill(BROWSER_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboards$/);
  await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();
  await expect(page.getByText("Browser Test Agency")).toBeVisible();
  await expect(page.getByText("ADMIN", { exact: true })).toBeVisible();
  await page.screenshot({ path: "e2e/artifacts/screenshots/overview.png", fullPage: true });

  // The session cookie also authenticates tRPC calls from the browser.
  const me = await page.evaluate(async () => {
    const res = await fetch("/api/trpc/me.get");
    return { status: res.status, body: await res.json() };
  });
  expect(me.status).toBe(200);
  expect(me.body.result.data.user.email).toBe(BROWSER_ADMIN.email);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  const after = await page.evaluate(async () => (await fetch("/api/trpc/me.get")).status);
  expect(after).toBe(401);
});
