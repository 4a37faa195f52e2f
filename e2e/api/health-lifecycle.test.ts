/**
 * Connection health (spec health.md) against the fakes: every transition writes its event, and
 * the ADMINs get exactly one e-mail per incident (read back from the SES fake) with a link to
 * the Data Sources page, and one when it recovers. Also GET /api/events/ (roles, filters, shape).
 */
import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { api, createTenant } from "../support/api";
import { connect, failNext, fakeUrl, fakeUser, provision, waitForState } from "../support/connectors";
import { events, jobOutcome, mailWithSubject, syncTo, waitForEvents } from "../support/health";
import { memberWithRole } from "../support/team";

const profile = (fake: "google" | "meta", body: Record<string, unknown>) => fetch(`${fakeUrl(fake)}/__fake/profile`, { method: "POST", body: JSON.stringify(body) });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const link = () => `${inject("testEnv").FRONTEND_BASE_URL}/dashboards/data-sources`;

describe("credential lifecycle", () => {
  it("Google invalid_grant → needs_reauth: one event, one e-mail however many retries; reconnect → recovered + e-mail", async () => {
    const t = await createTenant();
    const user = fakeUser("single-health-g");
    await profile("google", { user, access_ttl: 120 });
    const connected = await connect(t, "ga4", user);
    // Once: the credential is not retried after it (and the reconnect's code exchange must work).
    await failNext("google", { path: "/token", match: user, mode: "invalid_grant", times: 1 });
    await waitForState(t, "ga4", "needs_reauth");

    const [event] = await waitForEvents(t, "connection.needs_reauth");
    expect(event).toMatchObject({ type: "connection.needs_reauth", data: { provider: "ga4", credential_id: connected.body.credential.id } });
    expect(event!.data.reason).toMatch(/Reconnect/);
    expect(Object.keys(event!)).toEqual(["id", "type", "created_at", "data"]);
    // The worker keeps sweeping every second: still one event and one e-mail.
    await pause(2_500);
    expect((await events(t, "?type=connection.needs_reauth")).count).toBe(1);
    const mails = await mailWithSubject(t, /needs to be reconnected/);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe("Google Analytics 4 needs to be reconnected");
    expect(mails[0]!.text).toContain(link());

    await connect(t, "ga4", user); // the user reconnects (same account)
    const [recovered] = await waitForEvents(t, "connection.recovered");
    expect(recovered!.data).toMatchObject({ provider: "ga4", credential_id: connected.body.credential.id });
    const back = await mailWithSubject(t, /is working again/);
    expect(back).toHaveLength(1);
    expect(back[0]!.text).toContain(link());
  });

  it("Meta error 190 on re-exchange → needs_reauth with one e-mail", async () => {
    const t = await createTenant();
    const user = fakeUser("single-health-m");
    await profile("meta", { user, long_ttl: 2 * 86_400 });
    const connected = await connect(t, "meta_ads", user);
    await failNext("meta", { path: "/oauth/access_token", match: user, mode: "oauth190", times: 0 });
    await waitForState(t, "meta_ads", "needs_reauth");
    const [event] = await waitForEvents(t, "connection.needs_reauth");
    expect(event!.data).toMatchObject({ provider: "meta_ads", credential_id: connected.body.credential.id });
    await pause(1_500);
    expect(await mailWithSubject(t, /Meta Ads needs to be reconnected/)).toHaveLength(1);
  });

  it("an Airbyte auth failure → sync.failed + needs_reauth; a second failing sync sends no second e-mail", async () => {
    const t = await createTenant();
    await connect(t, "google_ads", fakeUser("single-health-a"));
    const made = await provision(t, "google_ads");
    const connectionId = made.body.connection.connection_id;
    await jobOutcome(connectionId, "failed", { failure_type: "config_error", message: "Invalid credentials: 401 Unauthorized" });
    const job = await syncTo(t, "google_ads", "failed");
    await waitForState(t, "google_ads", "needs_reauth");
    const [failed] = await waitForEvents(t, "sync.failed");
    expect(failed!.data).toEqual({
      provider: "google_ads",
      connection_id: connectionId,
      job_id: job.job_id,
      airbyte_job_id: job.airbyte_job_id,
      records_synced: 0,
      error: "Invalid credentials: 401 Unauthorized",
    });
    await waitForEvents(t, "connection.needs_reauth");
    await syncTo(t, "google_ads", "failed");
    await waitForEvents(t, "sync.failed", 2);
    await pause(1_000);
    expect((await events(t, "?type=connection.needs_reauth")).count).toBe(1);
    expect(await mailWithSubject(t, /needs to be reconnected/)).toHaveLength(1);
    const body = JSON.stringify(await events(t));
    expect(body).not.toMatch(/ya29\.|1\/\/rt-|EAA[LSP]-/);
  });
});

describe("connection failures", () => {
  it("failed syncs then a success → sync.failed ×2, sync.succeeded, connection.recovered (no e-mail: nobody was alerted)", async () => {
    const t = await createTenant();
    await connect(t, "search_console", fakeUser("single-health-r"));
    const made = await provision(t, "search_console");
    const connectionId = made.body.connection.connection_id;
    await jobOutcome(connectionId, "failed", { failure_type: "system_error", message: "Destination unreachable" });
    await syncTo(t, "search_console", "failed");
    await syncTo(t, "search_console", "failed");
    const health = await api("/api/trpc/health.connections", { token: t.access });
    expect(health.body.result.data.find((h: any) => h.provider === "search_console")).toMatchObject({ consecutive_failures: 2, alert: null });
    await jobOutcome(connectionId, "succeeded");
    await syncTo(t, "search_console", "succeeded");
    const [recovered] = await waitForEvents(t, "connection.recovered");
    expect(recovered!.data).toMatchObject({ provider: "search_console", connection_id: connectionId });
    const all = (await events(t)).results.map((e) => e.type);
    expect(all).toEqual(["connection.recovered", "sync.succeeded", "sync.failed", "sync.failed"]);
    const after = await api("/api/trpc/health.connections", { token: t.access });
    const card = after.body.result.data.find((h: any) => h.provider === "search_console");
    expect(card).toMatchObject({ consecutive_failures: 0, failing_since: null });
    expect(card.last_success_at).not.toBeNull();
    expect(card.runs.map((r: any) => [r.status, r.records_synced])).toEqual([
      ["failed", 0],
      ["failed", 0],
      ["succeeded", 1234],
    ]);
    expect(card.recent_events.map((e: any) => e.type)).toEqual(all);
    expect(await mailWithSubject(t, /working again/)).toHaveLength(0);
  });
});

describe("GET /api/events/", () => {
  it("ADMIN and ANALYST read it; VIEWER 403; anonymous 401; filters; DRF pagination; bad type 400", async () => {
    const t = await createTenant();
    await connect(t, "facebook_pages", fakeUser("single-health-e"));
    const made = await provision(t, "facebook_pages");
    await jobOutcome(made.body.connection.connection_id, "succeeded");
    await syncTo(t, "facebook_pages", "succeeded");
    await syncTo(t, "facebook_pages", "succeeded");
    await waitForEvents(t, "sync.succeeded", 2);

    const analyst = await memberWithRole(t, "ANALYST");
    const viewer = await memberWithRole(t, "VIEWER");
    expect((await api("/api/events/", { token: analyst.access })).status).toBe(200);
    expect((await api("/api/events/", { token: viewer.access })).status).toBe(403);
    expect((await api("/api/events/")).status).toBe(401);

    const page = await api("/api/events/?page_size=1&provider=facebook_pages", { token: t.access });
    expect(page.body.count).toBe(2);
    expect(page.body.results).toHaveLength(1);
    expect(page.body.next).toContain("page=2");
    expect(page.body.previous).toBeNull();
    expect((await api("/api/events/?provider=ga4", { token: t.access })).body.count).toBe(0);
    const bad = await api("/api/events/?type=nope", { token: t.access });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ type: ['"nope" is not a valid choice.'] });
    expect((await api("/api/events/?page=9", { token: t.access })).status).toBe(404);
  });

  it("another tenant's events are invisible", async () => {
    const a = await createTenant();
    const b = await createTenant();
    await connect(a, "ga4", fakeUser("single-health-i"));
    const made = await provision(a, "ga4");
    await jobOutcome(made.body.connection.connection_id, "succeeded");
    await syncTo(a, "ga4", "succeeded");
    await waitForEvents(a, "sync.succeeded");
    expect((await events(b)).count).toBe(0);
  });
});
