/** Helpers for the browser specs: sign-in, REST set-up calls, mail captured by the SES fake. */
import { randomUUID } from "node:crypto";
import { expect, type Page } from "@playwright/test";
import type { CapturedEmail } from "../fakes/ses";
import { BROWSER_ADMIN } from "./global-setup";

export const PASSWORD = "correct-horse-battery";
export const SCREENSHOTS = "e2e/artifacts/screenshots";
export const PHONE = { width: 390, height: 844 };

const baseUrl = () => process.env.E2E_BASE_URL!;
export const uniqueEmail = (label: string) => `${label}-${randomUUID().slice(0, 8)}@example.test`;

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboards$/);
}

/** Saves the page at its current size and again at phone width (390 px). */
export async function screenshots(page: Page, name: string): Promise<void> {
  const size = page.viewportSize();
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: `${SCREENSHOTS}/${name}-phone.png`, fullPage: true });
  if (size) await page.setViewportSize(size);
}

async function rest(path: string, body: unknown, token?: string) {
  const res = await fetch(`${baseUrl()}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json = (await res.json().catch(() => null)) as any;
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export interface Credentials {
  email: string;
  password: string;
}

/** A tenant of its own (signed up over REST), so a spec's members do not change another spec's lists. */
export async function ownTenant(label: string): Promise<Credentials & { access: string }> {
  const admin = { email: uniqueEmail(`${label}-admin`), password: PASSWORD };
  await rest("/api/tenants/", { name: `Agency ${label}`, admin_email: admin.email, admin_password: admin.password });
  const { access } = await rest("/api/token/", admin);
  return { ...admin, access };
}

/** A new member holding `role` in the tenant of `admin` (the browser tenant by default), over REST (invite + accept). */
export async function memberWithRole(role: "ADMIN" | "ANALYST" | "VIEWER", label = role.toLowerCase(), admin: Credentials = BROWSER_ADMIN) {
  const { access } = await rest("/api/token/", admin);
  const email = uniqueEmail(label);
  const invite = await rest("/api/users/invite/", { email, role }, access);
  const user = await rest("/api/users/accept-invite/", { token: invite.token, password: PASSWORD, first_name: label, last_name: "Tester" });
  return { id: user.id as string, email, password: PASSWORD };
}

/** Waits for the `count`-th e-mail to `address` carrying a `path` link (at the SES fake) and returns that link. */
export async function linkFromMail(address: string, path: "/accept-invite" | "/reset-password", count = 1): Promise<string> {
  const pattern = new RegExp(`https?://[^\\s"<>]+${path}\\?token=[^\\s"<>]+`);
  let links: string[] = [];
  await expect
    .poll(
      async () => {
        const res = await fetch(`${process.env.E2E_SES_URL}/_fake/messages?to=${encodeURIComponent(address)}`);
        const messages = (await res.json()) as CapturedEmail[];
        links = messages.map((m) => pattern.exec(m.text)?.[0]).filter((l): l is string => !!l);
        return links.length;
      },
      { timeout: 15_000, message: `${path} e-mail number ${count} to ${address}` },
    )
    .toBeGreaterThanOrEqual(count);
  // The link points at FRONTEND_BASE_URL, which is the app under test.
  return links[count - 1]!;
}
