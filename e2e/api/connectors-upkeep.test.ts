/**
 * Token upkeep on the worker (spec "Token upkeep"): Google refresh ahead of expiry, invalid_grant →
 * needs_reauth, transient failures leave the credential valid; Meta re-exchange within 7 days,
 * Graph 190 → needs_reauth; refreshed secrets pushed to the Airbyte source.
 */
import { describe, expect, it } from "vitest";
import { createTenant } from "../support/api";
import { connect, failNext, fakeUrl, fakeUser, provision, seen, status, waitForState, until } from "../support/connectors";

const profile = (fake: "google" | "meta", body: Record<string, unknown>) =>
  fetch(`${fakeUrl(fake)}/__fake/profile`, { method: "POST", body: JSON.stringify(body) });


const refreshes = async (user: string) => (await seen("google", "/token", user)).filter((r) => r.body.includes("grant_type=refresh_token"));

describe("Google token upkeep", () => {
  it("refreshes an access token that expires within 5 minutes and pushes the secret to Airbyte", async () => {
    const t = await createTenant();
    const user = fakeUser("single-refresh");
    await profile("google", { user, access_ttl: 120 });
    const connected = await connect(t, "ga4", user);
    const made = await provision(t, "ga4");
    await profile("google", { user, access_ttl: 3599 });
    // A refresh may land before the profile change (another 120 s token, still due): wait for the long one.
    const after = await until(() => status(t, "ga4"), (r) => new Date(r.body.credentials[0].expires_at).getTime() > Date.now() + 30 * 60_000);
    expect(after.body.credentials[0].last_refreshed_at).not.toBe(connected.body.credential.last_refreshed_at);
    expect(after.body.credentials[0]).toMatchObject({ token_status: "valid" });
    expect((await refreshes(user)).length).toBeGreaterThanOrEqual(1);
    const updates = await until(() => seen("airbyte", "/sources/update", made.body.source.source_id), (u) => u.length > 0);
    expect(updates.length).toBeGreaterThanOrEqual(1);
  });

  it("invalid_grant marks the credential needs_reauth (no retry loop)", async () => {
    const t = await createTenant();
    const user = fakeUser("single-revoked");
    await profile("google", { user, access_ttl: 120 });
    await connect(t, "search_console", user);
    await failNext("google", { path: "/token", match: user, mode: "invalid_grant", times: 0 });
    const s = await waitForState(t, "search_console", "needs_reauth");
    expect(s.credentials[0].token_status_reason).not.toBe("");
    const attempts = (await refreshes(user)).length;
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await refreshes(user)).length).toBe(attempts);
  });

  it("5xx and timeouts leave the credential valid and are retried", async () => {
    const t = await createTenant();
    const user = fakeUser("single-flaky");
    await profile("google", { user, access_ttl: 120 });
    await connect(t, "google_ads", user);
    await failNext("google", { path: "/token", match: user, mode: "status", status: 503, times: 0 });
    const tried = await until(() => refreshes(user), (r) => r.length >= 6);
    expect(tried.length).toBeGreaterThanOrEqual(6);
    expect((await status(t, "google_ads")).body.credentials[0].token_status).toBe("valid");
  });
});

describe("Meta token upkeep", () => {
  it("re-exchanges a long-lived token within 7 days of expiry", async () => {
    const t = await createTenant();
    const user = fakeUser("single-meta");
    await profile("meta", { user, long_ttl: 3 * 86_400 });
    const connected = await connect(t, "meta_ads", user);
    await profile("meta", { user, long_ttl: 60 * 86_400 });
    const after = await until(() => status(t, "meta_ads"), (r) => new Date(r.body.credentials[0].expires_at).getTime() > Date.now() + 30 * 86_400_000);
    expect(after.body.credentials[0].token_status).toBe("valid");
    expect(after.body.credentials[0].id).toBe(connected.body.credential.id);
  });

  it("a Graph 190 on re-exchange marks needs_reauth", async () => {
    const t = await createTenant();
    const user = fakeUser("single-meta190");
    await profile("meta", { user, long_ttl: 2 * 86_400 });
    await connect(t, "meta_ads", user);
    await failNext("meta", { path: "/oauth/access_token", match: user, mode: "oauth190", times: 0 });
    await waitForState(t, "meta_ads", "needs_reauth");
  });
});
