/**
 * The Data Sources page against the production build, the worker and the Google, Meta and
 * Airbyte fakes: real OAuth round trips through the fake consent screens, the account picker,
 * provisioning, syncs finished by the worker, disconnects, role limits and readable errors.
 * Every card state is saved as a screenshot (desktop and 390 px).
 */
import { expect, test, type Page } from "@playwright/test";
import postgres from "postgres";
import { BROWSER_ADMIN } from "./global-setup";
import { memberWithRole, PHONE, SCREENSHOTS, screenshots, signIn } from "./support";

const PROVIDERS = [
  { slug: "facebook_pages", label: "Facebook Pages", kind: "Facebook page" },
  { slug: "meta_ads", label: "Meta Ads", kind: "ad account" },
  { slug: "google_ads", label: "Google Ads", kind: "Google Ads customer" },
  { slug: "ga4", label: "Google Analytics 4", kind: "Analytics property" },
  { slug: "search_console", label: "Google Search Console", kind: "Search Console site" },
] as const;
type Provider = (typeof PROVIDERS)[number];

const card = (page: Page, slug: string) => page.locator(`article[data-provider="${slug}"]`);

/** Saves one card at desktop width and at phone width. */
async function cardShots(page: Page, slug: string, name: string) {
  const size = page.viewportSize();
  await card(page, slug).screenshot({ path: `${SCREENSHOTS}/data-sources-${name}.png` });
  await page.setViewportSize(PHONE);
  await card(page, slug).screenshot({ path: `${SCREENSHOTS}/data-sources-${name}-phone.png` });
  if (size) await page.setViewportSize(size);
}

let adminToken: string | undefined;

/** A REST call as the admin (one token per worker). */
async function api(path: string, init: { method?: string; body?: unknown } = {}) {
  const base = process.env.E2E_BASE_URL!;
  if (!adminToken) {
    const token = await fetch(`${base}/api/token/`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(BROWSER_ADMIN) });
    adminToken = ((await token.json()) as { access: string }).access;
  }
  const access = adminToken;
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${access}`, "content-type": "application/json" },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const json = res.status === 204 ? null : ((await res.json()) as any);
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

let extraMember: { id: string; email: string; password: string } | undefined;

/**
 * One extra member of the browser tenant for the whole file, switched between roles over REST:
 * the team page's tests that run later count the tenant's members.
 */
async function memberAs(role: "ANALYST" | "VIEWER") {
  if (!extraMember) return (extraMember = await memberWithRole(role, "sources"));
  const roles = await api(`/api/user-roles/?page_size=500`);
  for (const r of roles.results as { id: string; user: string }[]) if (r.user === extraMember.id) await api(`/api/user-roles/${r.id}/`, { method: "DELETE" });
  await api(`/api/user-roles/`, { method: "POST", body: { user: extraMember.id, role } });
  return extraMember;
}

/** Tells the Airbyte fake how the provider's next jobs end. */
async function nextJobs(slug: string, outcome: Record<string, unknown>) {
  const status = await api(`/api/integrations/${slug}/status/`);
  const connectionId = status.connections[0].connection_id as string;
  const res = await fetch(`${process.env.E2E_AIRBYTE_URL}/__fake/job-outcome`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ connection_id: connectionId, ...outcome }),
  });
  expect(res.ok).toBe(true);
}

/** Connect (or Reconnect) → fake consent screen → Allow → back on the page → pick the second account. */
async function connectThroughConsent(page: Page, p: Provider, action: "Connect" | "Reconnect", shot?: string) {
  await card(page, p.slug).getByRole("button", { name: `${action} ${p.label}`, exact: true }).click();
  await expect(page.getByRole("heading", { name: /ADinsights wants access/ })).toBeVisible();
  await page.getByRole("link", { name: "Allow" }).click();
  const picker = page.getByRole("region", { name: `Choose the ${p.kind} to connect` });
  await expect(picker).toBeVisible();
  // The callback parameters are gone from the address bar once the page has read them.
  await expect(page).toHaveURL(/\/dashboards\/data-sources$/);
  await expect(picker.getByRole("heading")).toBeFocused();
  const options = picker.getByRole("radio");
  await expect(options).toHaveCount(2);
  await options.nth(1).check();
  const chosen = await options.nth(1).inputValue();
  if (shot) await screenshots(page, shot);
  await picker.getByRole("button", { name: `Connect this ${p.kind}`, exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: `${p.label} is connected to` })).toBeVisible();
  await expect(picker).toBeHidden();
  return chosen;
}

async function syncAndWait(page: Page, p: Provider, expected: string) {
  const c = card(page, p.slug);
  await c.getByRole("button", { name: `Sync ${p.label} now`, exact: true }).click();
  await expect(c).toHaveAttribute("data-state", expected, { timeout: 20_000 });
}

test("an admin connects, provisions, syncs and disconnects all five providers", async ({ page, browser }) => {
  test.setTimeout(240_000);
  await signIn(page, BROWSER_ADMIN.email, BROWSER_ADMIN.password);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Data sources" }).click();
  await expect(page.getByRole("heading", { name: "Data sources", level: 1 })).toBeVisible();
  await expect(page.locator("article[data-provider]")).toHaveCount(5);
  for (const p of PROVIDERS) await expect(card(page, p.slug)).toHaveAttribute("data-state", "not_connected");
  await screenshots(page, "data-sources-page-empty");
  await cardShots(page, "ga4", "not-connected");

  for (const [i, p] of PROVIDERS.entries()) {
    const c = card(page, p.slug);
    const account = await connectThroughConsent(page, p, "Connect", i === 0 ? "data-sources-picker" : undefined);
    await expect(c).toHaveAttribute("data-state", "needs_provisioning");
    await expect(c.getByText(account).first()).toBeVisible();
    await expect(c.getByText("Valid", { exact: true })).toBeVisible();
    if (i === 0) await cardShots(page, p.slug, "needs-provisioning");

    await c.getByLabel("Sync schedule").selectOption({ label: "Every 6 hours" });
    await c.getByRole("button", { name: `Provision ${p.label}`, exact: true }).click();
    await expect(c).toHaveAttribute("data-state", "connected");
    await expect(c.getByText("Every 6 hours")).toBeVisible();
    await expect(c.getByText("No syncs yet.")).toBeVisible();

    // The first sync is held "running" by the fake for a moment so the syncing state is seen.
    if (i === 0) await nextJobs(p.slug, { outcome: "succeeded", running_polls: 3 });
    await c.getByRole("button", { name: `Sync ${p.label} now`, exact: true }).click();
    if (i === 0) {
      await expect(c).toHaveAttribute("data-state", "syncing");
      await expect(c.getByRole("cell", { name: /queued|running/ })).toBeVisible();
      await cardShots(page, p.slug, "syncing");
    }
    // The job list refreshes by itself until the worker records the finished job.
    await expect(c.getByRole("cell", { name: "succeeded" })).toBeVisible({ timeout: 20_000 });
    await expect(c).toHaveAttribute("data-state", "connected");
    await expect(c.getByRole("cell", { name: "1,234" })).toBeVisible();
    await expect(c.getByText("Never")).toHaveCount(0);
    if (i === 0) await cardShots(page, p.slug, "connected");
  }
  await screenshots(page, "data-sources-page-connected");

  // A failed sync: the card says so with the job's error.
  const ga4 = PROVIDERS[3];
  await nextJobs(ga4.slug, { outcome: "failed", failure_type: "system_error", message: "Source crashed while reading reports" });
  await syncAndWait(page, ga4, "error");
  await expect(card(page, ga4.slug).getByText("The last sync failed: Source crashed while reading reports")).toBeVisible();
  await cardShots(page, ga4.slug, "error");

  // An authentication failure marks the credential as needing a reconnect; Reconnect fixes it.
  await nextJobs(ga4.slug, { outcome: "failed", failure_type: "config_error", message: "Invalid credentials: token expired" });
  await syncAndWait(page, ga4, "needs_reauth");
  await expect(card(page, ga4.slug).getByText("Needs reconnecting").first()).toBeVisible();
  await cardShots(page, ga4.slug, "needs-reauth");
  await nextJobs(ga4.slug, { outcome: "succeeded" });
  await connectThroughConsent(page, ga4, "Reconnect");
  await expect(card(page, ga4.slug)).not.toHaveAttribute("data-state", "needs_reauth");
  await expect(card(page, ga4.slug).getByText("Valid", { exact: true })).toBeVisible();

  // A connection switched off in Airbyte shows as paused and offers provisioning again.
  const meta = PROVIDERS[1];
  await api(`/api/integrations/${meta.slug}/provision/`, { method: "POST", body: { is_active: false, schedule_type: "manual" } });
  await page.reload();
  await expect(card(page, meta.slug)).toHaveAttribute("data-state", "paused");
  await expect(card(page, meta.slug).getByRole("button", { name: `Provision ${meta.label}`, exact: true })).toBeVisible();
  await cardShots(page, meta.slug, "paused");

  // An analyst, meanwhile, may start syncs but not connect, provision or disconnect.
  const analyst = await memberAs("ANALYST");
  const analystContext = await browser.newContext();
  try {
    const analystPage = await analystContext.newPage();
    await signIn(analystPage, analyst.email, analyst.password);
    await analystPage.goto("/dashboards/data-sources");
    const searchConsole = card(analystPage, "search_console");
    await expect(searchConsole).toHaveAttribute("data-state", "connected");
    await expect(searchConsole.getByRole("button")).toHaveText(["Sync now"]);
    await expect(card(analystPage, meta.slug).getByRole("button")).toHaveCount(0);
    await cardShots(analystPage, "search_console", "analyst");
  } finally {
    await analystContext.close();
  }

  // Disconnect asks first; Cancel keeps everything.
  const first = PROVIDERS[0];
  await card(page, first.slug).getByRole("button", { name: `Disconnect ${first.label}`, exact: true }).click();
  const dialog = page.getByRole("dialog", { name: `Disconnect ${first.label}?` });
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await screenshots(page, "data-sources-disconnect-dialog");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(card(page, first.slug)).toHaveAttribute("data-state", "connected");
  for (const p of PROVIDERS) {
    await card(page, p.slug).getByRole("button", { name: `Disconnect ${p.label}`, exact: true }).click();
    await page.getByRole("dialog", { name: `Disconnect ${p.label}?` }).getByRole("button", { name: "Disconnect" }).click();
    await expect(card(page, p.slug)).toHaveAttribute("data-state", "not_connected");
    await expect(page.getByRole("status").filter({ hasText: `${p.label} is disconnected` })).toBeVisible();
  }
});

test("each card shows health: last success, failures in a row, recent events and a chart of records per run", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, BROWSER_ADMIN.email, BROWSER_ADMIN.password);
  await page.goto("/dashboards/data-sources");
  const p = PROVIDERS[2];
  const c = card(page, p.slug);
  await expect(c).toHaveAttribute("data-state", "not_connected");
  await connectThroughConsent(page, p, "Connect");
  await c.getByRole("button", { name: `Provision ${p.label}`, exact: true }).click();
  await expect(c).toHaveAttribute("data-state", "connected");

  // Eight runs through the worker: records vary, two fail, the last two fail in a row.
  const runs: Record<string, unknown>[] = [
    { outcome: "succeeded", records: 800 },
    { outcome: "succeeded", records: 1500 },
    { outcome: "failed", failure_type: "system_error", message: "Destination unreachable" },
    { outcome: "succeeded", records: 2600 },
    { outcome: "succeeded", records: 2100 },
    { outcome: "succeeded", records: 3900 },
    { outcome: "failed", failure_type: "system_error", message: "Destination unreachable" },
    { outcome: "failed", failure_type: "system_error", message: "Destination unreachable" },
  ];
  for (const [i, run] of runs.entries()) {
    await nextJobs(p.slug, run);
    await api(`/api/integrations/${p.slug}/sync/`, { method: "POST", body: {} });
    await expect
      .poll(async () => (await api(`/api/integrations/${p.slug}/jobs/`)).jobs.filter((j: { status: string }) => j.status === "succeeded" || j.status === "failed").length, { timeout: 20_000 })
      .toBe(i + 1);
  }
  await page.reload();
  const health = c.getByRole("region", { name: `Health of ${p.label}` });
  await expect(health.getByTestId("consecutive-failures")).toContainText("2");
  await expect(health.getByText("Last success")).toBeVisible();
  const chart = health.getByTestId("records-chart");
  await expect(chart).toContainText("last 8 runs");
  // One bar per run with records (a failed run has none: an empty, red slot on the axis).
  await expect(chart.locator(".recharts-bar-rectangle")).toHaveCount(5);
  await expect(chart.locator(".recharts-xAxis .recharts-cartesian-axis-tick")).toHaveCount(8);
  await expect(chart).toContainText(/4,?000/);
  const events = health.getByRole("list", { name: `Recent events of ${p.label}` });
  await expect(events.getByRole("listitem")).toHaveCount(5);
  await expect(events.getByRole("listitem").first()).toContainText("Sync failed");
  await cardShots(page, p.slug, "health");

  // A success ends the run of failures: the card says recovered.
  await nextJobs(p.slug, { outcome: "succeeded", records: 3000 });
  await syncAndWait(page, p, "connected");
  await expect(health.getByTestId("consecutive-failures")).toHaveText("0");
  await expect(events.getByRole("listitem").first()).toContainText("Recovered");
  await expect(chart.locator(".recharts-bar-rectangle")).toHaveCount(6);
  await cardShots(page, p.slug, "health-recovered");
  await api(`/api/integrations/${p.slug}/disconnect/`, { method: "POST", body: {} });
});

test("an admin manages webhooks in Settings: the secret is shown once, deliveries can be read", async ({ page }) => {
  await signIn(page, BROWSER_ADMIN.email, BROWSER_ADMIN.password);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("heading", { name: "Webhooks" })).toBeVisible();
  await page.getByLabel("Endpoint URL").fill("http://127.0.0.1:9/adinsights");
  await page.getByLabel("sync.failed").check();
  await page.getByRole("button", { name: "Add endpoint" }).click();
  await expect(page.getByTestId("webhook-secret")).toContainText("whsec_");
  const endpoint = page.getByTestId("webhook-endpoint").filter({ hasText: "127.0.0.1:9/adinsights" });
  await expect(endpoint).toContainText("active · sync.failed");
  await screenshots(page, "settings-webhooks");
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("webhook-secret")).toHaveCount(0);
  await endpoint.getByRole("button", { name: "Deliveries" }).click();
  await expect(endpoint.getByText("No deliveries yet.")).toBeVisible();
  await endpoint.getByRole("button", { name: "Delete" }).click();
  await expect(endpoint).toHaveCount(0);
});

test("non-admins see no webhook controls in Settings", async ({ page }) => {
  const viewer = await memberAs("VIEWER");
  await signIn(page, viewer.email, viewer.password);
  await page.goto("/dashboards/settings");
  await expect(page.getByText("Only administrators can manage webhooks.")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Webhooks" })).toHaveCount(0);
});

test("a viewer sees every provider but no action that changes anything", async ({ page }) => {
  const viewer = await memberAs("VIEWER");
  await signIn(page, viewer.email, viewer.password);
  await page.goto("/dashboards/data-sources");
  await expect(page.locator("article[data-provider]")).toHaveCount(5);
  await expect(page.getByText("Only administrators can connect accounts")).toBeVisible();
  await expect(page.getByRole("list", { name: "Providers" }).getByRole("button")).toHaveCount(0);
  await expect(page.getByLabel("Sync schedule")).toHaveCount(0);
  await screenshots(page, "data-sources-viewer");
});

test("an expired OAuth state, a refused consent and a stray callback are explained, never a blank page", async ({ page }) => {
  await signIn(page, BROWSER_ADMIN.email, BROWSER_ADMIN.password);
  await page.goto("/dashboards/data-sources");
  const ga4 = PROVIDERS[3];

  // The person takes longer than the state's ten minutes on the consent screen.
  await card(page, ga4.slug).getByRole("button", { name: `Connect ${ga4.label}`, exact: true }).click();
  await expect(page.getByRole("link", { name: "Allow" })).toBeVisible();
  const sql = postgres(process.env.E2E_DATABASE_URL!, { max: 1, onnotice: () => {} });
  try {
    await sql`update oauth_states set expires_at = now() - interval '1 minute' where provider = ${ga4.slug} and used_at is null`;
  } finally {
    await sql.end();
  }
  await page.getByRole("link", { name: "Allow" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(`Could not connect ${ga4.label}: OAuth state expired. Restart the connect flow.`);
  await expect(page).toHaveURL(/\/dashboards\/data-sources$/);
  await expect(card(page, ga4.slug)).toHaveAttribute("data-state", "not_connected");
  await screenshots(page, "data-sources-expired-state");

  // Cancel on the consent screen.
  await card(page, ga4.slug).getByRole("button", { name: `Connect ${ga4.label}`, exact: true }).click();
  await page.getByRole("link", { name: "Cancel" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText(`${ga4.label} did not grant access (access_denied)`);

  // A callback this tab never started (or one already used).
  await page.goto("/dashboards/data-sources?code=abc&state=never-issued");
  await expect(page.getByRole("main").getByRole("alert")).toContainText("Start the connection again");
  await expect(page.locator("article[data-provider]")).toHaveCount(5);
});

test("a session that ends on the consent screen resumes the connection after signing in again", async ({ page }) => {
  await signIn(page, BROWSER_ADMIN.email, BROWSER_ADMIN.password);
  await page.goto("/dashboards/data-sources");
  const ga4 = PROVIDERS[3];
  await card(page, ga4.slug).getByRole("button", { name: `Connect ${ga4.label}`, exact: true }).click();
  await expect(page.getByRole("link", { name: "Allow" })).toBeVisible();
  // Signed out (session expired, or signed out in another tab) while consenting.
  await page.context().clearCookies();
  await page.getByRole("link", { name: "Allow" }).click();
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fdashboards%2Fdata-sources%3F.*code%3D/);
  await page.getByLabel("E-mail").fill(BROWSER_ADMIN.email);
  await page.getByLabel("Password").fill(BROWSER_ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // Back on the page with the provider's code: the callback completes as if nothing happened.
  const picker = page.getByRole("region", { name: `Choose the ${ga4.kind} to connect` });
  await expect(picker).toBeVisible();
  await expect(page).toHaveURL(/\/dashboards\/data-sources$/);
  await picker.getByRole("radio").first().check();
  await picker.getByRole("button", { name: `Connect this ${ga4.kind}`, exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: `${ga4.label} is connected to` })).toBeVisible();
  await expect(card(page, ga4.slug)).not.toHaveAttribute("data-state", "not_connected");
  await api(`/api/integrations/${ga4.slug}/disconnect/`, { method: "POST", body: {} });
});
