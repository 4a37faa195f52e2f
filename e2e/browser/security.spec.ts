/**
 * Browser-side security (security review items 2, 3, 5, 8; hardening item 1):
 * - every page runs under a nonce-based script CSP with no violations;
 * - sign-in never sends anyone to another site, whatever `callbackUrl` says;
 * - the forms that carry a secret are POST forms that work without JavaScript, and no secret
 *   reaches a URL, a request log line or the history;
 * - the accept-invite page never puts the invitation token in a logged request;
 * - sign-out ends the session on the server, not only in this browser.
 */
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import path from "node:path";
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { BROWSER_ADMIN } from "./global-setup";
import { linkFromMail, memberWithRole, ownTenant, PASSWORD, signIn, uniqueEmail } from "./support";

test.use({ baseURL: process.env.E2E_BASE_URL });

const base = () => process.env.E2E_BASE_URL!;
const serverLog = () => readFileSync(path.join("e2e", "artifacts", "browser-server.log"), "utf8");
const workerLog = () => readFileSync(path.join("e2e", "artifacts", "browser-worker.log"), "utf8");

/** Records CSP violations the page reports (from its first script on). */
async function watchCsp(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
}
const violations = (page: Page) => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);

test("every page runs under a per-request nonce CSP, with no violations", async ({ browser }) => {
  const context = await browser.newContext();
  await watchCsp(context);
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy/i.test(m.text())) consoleErrors.push(m.text());
  });

  const anonymous = ["/login", "/login?callbackUrl=%2Fdashboards%2Fteam", "/reset-password", "/reset-password?token=not-a-token", "/accept-invite", "/accept-invite?token=not-a-token", "/no-such-page"];
  const nonces = new Set<string>();
  for (const path of anonymous) {
    const res = await page.goto(path);
    const csp = res!.headers()["content-security-policy"]!;
    expect(csp, path).toContain("default-src 'self'");
    expect(csp, path).toContain("'strict-dynamic'");
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    nonces.add(nonce);
    // Next's own scripts carry the nonce (the page is interactive: React hydrated under the CSP).
    const scripts = await page.locator("script").evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).nonce));
    expect(scripts.length, path).toBeGreaterThan(0);
    for (const n of scripts) expect(n, path).toBe(nonce);
    expect(await violations(page), path).toEqual([]);
  }
  expect(nonces.size).toBe(anonymous.length);

  await signIn(page, BROWSER_ADMIN.email, BROWSER_ADMIN.password);
  for (const path of ["/dashboards", "/dashboards/data-sources", "/dashboards/team"]) {
    await page.goto(path);
    await expect(page.getByRole("main")).toBeVisible();
    await page.waitForLoadState("networkidle");
    expect(await violations(page), path).toEqual([]);
  }
  expect(consoleErrors).toEqual([]);

  // The policy bites: an inline handler (as an injected attribute would be) does not run.
  const ran = await page.evaluate(async () => {
    const w = window as unknown as { __pwned?: boolean };
    const el = document.createElement("button");
    el.setAttribute("onclick", "window.__pwned = true");
    document.body.append(el);
    el.click();
    await new Promise((r) => setTimeout(r, 50));
    return w.__pwned === true;
  });
  expect(ran).toBe(false);
  expect((await violations(page)).some((v) => v.startsWith("script-src"))).toBe(true);
  await context.close();
});

test.describe("sign-in never leaves the site, whatever callbackUrl says", () => {
  let target: Server;
  let hits = 0;
  let host = "";
  test.beforeAll(async () => {
    // The "other site" a phishing link would name: it must never see a visit.
    target = createServer((_req, res) => {
      hits++;
      res.end("pwned");
    });
    await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
    host = `127.0.0.1:${(target.address() as { port: number }).port}`;
  });
  test.afterAll(() => new Promise<void>((resolve) => target.close(() => resolve())));

  const forms = (h: string) => [
    ["TAB", `/\t/${h}/pwned`],
    ["TAB encoded", `%2F%09%2F${h}%2Fpwned`],
    ["backslash", `/\\${h}/pwned`],
    ["two backslashes", `/\\\\${h}/pwned`],
    ["encoded slash", `/%2F${h}/pwned`],
    ["double-encoded slash", `/%252F${h}/pwned`],
    ["protocol-relative", `//${h}/pwned`],
    ["absolute", `http://${h}/pwned`],
    ["mixed TAB and backslash", `/\t\\${h}/pwned`],
    ["CR LF", `/\r\n/${h}/pwned`],
  ];

  test("TAB, backslash, encoded and mixed forms all land on this site", async ({ browser }) => {
    test.setTimeout(180_000); // ten sign-ins
    for (const [label, value] of forms(host)) {
      const context = await browser.newContext();
      const page = await context.newPage();
      // A raw value goes through encodeURIComponent; an already-encoded one is used as is.
      const query = value!.startsWith("%") ? value! : encodeURIComponent(value!);
      await page.goto(`/login?callbackUrl=${query}`);
      await page.getByLabel("E-mail").fill(BROWSER_ADMIN.email);
      await page.getByLabel("Password").fill(BROWSER_ADMIN.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL((url) => url.pathname !== "/login", { timeout: 10_000 });
      const landed = new URL(page.url());
      expect(landed.origin, label).toBe(new URL(base()).origin);
      await context.close();
    }
    expect(hits).toBe(0);
  });

  test("a same-site callbackUrl is honoured", async ({ page }) => {
    await page.goto(`/login?callbackUrl=${encodeURIComponent("/dashboards/team?tab=1")}`);
    await page.getByLabel("E-mail").fill(BROWSER_ADMIN.email);
    await page.getByLabel("Password").fill(BROWSER_ADMIN.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/dashboards\/team\?tab=1$/);
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  /** Every URL the browser requested or navigated to (the history is made of the latter). */
  function recordUrls(page: Page): string[] {
    const urls: string[] = [];
    page.on("request", (r) => urls.push(r.url()));
    page.on("framenavigated", (f) => urls.push(f.url()));
    return urls;
  }

  test("sign-in, a wrong password, the reset request, choosing a new password and accepting an invitation all work, and no secret reaches a URL or a log", async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    const urls = recordUrls(page);
    // A tenant of its own: the team specs count the browser tenant's members.
    const tenant = await ownTenant("nojs");
    const member = await memberWithRole("VIEWER", "nojs", tenant);
    const secrets = [member.password];

    // Wrong password first: the form answers with the message, on the same page, by POST.
    await page.goto("/login");
    await expect(page.locator("form").first()).toHaveAttribute("method", /post/i);
    await page.getByLabel("E-mail").fill(member.email);
    await page.getByLabel("Password").fill("wrong-password-nojs");
    secrets.push("wrong-password-nojs");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert")).toHaveText("E-mail or password is incorrect.");
    await expect(page.getByLabel("E-mail")).toHaveValue(member.email);
    await page.getByLabel("Password").fill(member.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/dashboards$/);
    await expect(page.getByRole("heading", { name: /Welcome/ })).toBeVisible();

    // Sign out (a POST form too), then reset the password without JavaScript.
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    await page.goto("/reset-password");
    await expect(page.locator("form").first()).toHaveAttribute("method", /post/i);
    await page.getByLabel("E-mail").fill(member.email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    await expect(page.getByRole("status")).toContainText("If an account exists for that address");
    const resetLink = await linkFromMail(member.email, "/reset-password");
    await page.goto(resetLink);
    await expect(page.locator("form").first()).toHaveAttribute("method", /post/i);
    const newPassword = "no-javascript-passphrase";
    secrets.push(newPassword);
    await page.getByRole("textbox", { name: "New password" }).fill(newPassword);
    await page.getByRole("button", { name: "Set new password" }).click();
    await expect(page.getByRole("status")).toContainText("Your password has been changed.");
    await page.goto("/login");
    await page.getByLabel("E-mail").fill(member.email);
    await page.getByLabel("Password").fill(newPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/dashboards$/);

    // Accepting an invitation: the admin invites over REST, the invitee accepts with no JavaScript.
    const invitee = uniqueEmail("nojs-invitee");
    const invite = await fetch(`${base()}/api/users/invite/`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${tenant.access}` }, body: JSON.stringify({ email: invitee, role: "ANALYST" }) });
    expect(invite.status).toBe(201);
    const inviteLink = await linkFromMail(invitee, "/accept-invite");
    const invitedContext = await browser.newContext({ javaScriptEnabled: false });
    const invited = await invitedContext.newPage();
    const invitedUrls = recordUrls(invited);
    await invited.goto(inviteLink);
    await expect(invited.locator("form").first()).toHaveAttribute("method", /post/i);
    await invited.getByLabel("First name").fill("Nadia");
    await invited.getByLabel("Password").fill("12345678");
    await invited.getByRole("button", { name: "Create account and sign in" }).click();
    await expect(invited.getByRole("alert")).toHaveText("This password is entirely numeric.");
    await expect(invited.getByLabel("First name")).toHaveValue("Nadia");
    secrets.push(PASSWORD);
    await invited.getByLabel("Password").fill(PASSWORD);
    await invited.getByRole("button", { name: "Create account and sign in" }).click();
    await expect(invited).toHaveURL(/\/dashboards$/);
    await expect(invited.getByRole("heading", { name: "Welcome, Nadia" })).toBeVisible();
    await invitedContext.close();

    const logs = serverLog() + workerLog();
    for (const secret of secrets) {
      for (const url of [...urls, ...invitedUrls]) expect(decodeURIComponent(url), `a URL holds ${secret}`).not.toContain(secret);
      expect(logs, "a log line holds a password").not.toContain(secret);
    }
    // Nothing was ever sent as a GET with form fields.
    for (const url of [...urls, ...invitedUrls]) expect(url).not.toMatch(/[?&](password|email)=/);
    await context.close();
  });
});

test("the accept page never puts the invitation token in a logged request", async ({ browser }) => {
  const tenant = await ownTenant("token-log");
  const invitee = uniqueEmail("token-log");
  const res = await fetch(`${base()}/api/users/invite/`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${tenant.access}` }, body: JSON.stringify({ email: invitee }) });
  const { token } = await res.json();
  const context = await browser.newContext();
  const page = await context.newPage();
  const apiUrls: string[] = [];
  page.on("request", (r) => {
    if (new URL(r.url()).pathname.startsWith("/api/")) apiUrls.push(r.url());
  });
  await page.goto(`/accept-invite?token=${encodeURIComponent(token)}`);
  await expect(page.getByText(`invited ${invitee} as viewer`)).toBeVisible();
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account and sign in" }).click();
  await expect(page).toHaveURL(/\/dashboards$/);
  await page.waitForLoadState("networkidle");
  for (const url of apiUrls) expect(url).not.toContain(token);
  for (const line of (serverLog() + workerLog()).split("\n")) expect(line).not.toContain(token);
  await context.close();
});

test("sign-out ends the session on the server: the old cookie no longer works anywhere", async ({ browser }) => {
  const member = await memberWithRole("ANALYST", "signout", await ownTenant("signout"));
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, member.email, member.password);
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name.endsWith("adinsights.session"))!;
  expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax" });
  // A second browser with the same session, and a REST token of the same user.
  const other = await browser.newContext();
  await other.addCookies([session]);
  const otherPage = await other.newPage();
  await otherPage.goto("/dashboards");
  await expect(otherPage).toHaveURL(/\/dashboards$/);
  const { access } = await (await fetch(`${base()}/api/token/`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: member.email, password: member.password }) })).json();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);

  await otherPage.goto("/dashboards");
  await expect(otherPage).toHaveURL(/\/login/);
  const trpc = await otherPage.evaluate(async () => (await fetch("/api/trpc/me.get")).status);
  expect(trpc).toBe(401);
  expect((await fetch(`${base()}/api/me/`, { headers: { authorization: `Bearer ${access}` } })).status).toBe(401);
  // Signing in again works.
  await signIn(page, member.email, member.password);
  await Promise.all([context.close(), other.close()]);
});
