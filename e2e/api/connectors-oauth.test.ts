/** spec/integrations.md: oauth/start, reconnect and oauth/callback (both steps), every error line. */
import { createHash } from "node:crypto";
import { Redis } from "ioredis";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { api, createMember, createTenant, type TestTenant } from "../support/api";
import { callback, connect, consent, failNext, fakeUser, PROVIDERS, start } from "../support/connectors";

let owner: postgres.Sql;
let redis: Redis;
let a: TestTenant;
let b: TestTenant;
const bodies: string[] = [];

/** api() that remembers every response body, for the "no token in any response" check. */
async function call(path: string, options: Parameters<typeof api>[1]) {
  const res = await api(path, options);
  bodies.push(res.text);
  return res;
}

async function makeAdmin(tenant: TestTenant) {
  const m = await createMember(tenant);
  await owner`insert into user_roles (tenant_id, user_id, role) values (${tenant.id}, ${m.id}, 'ADMIN')`;
  return m;
}

beforeAll(async () => {
  owner = postgres(inject("ownerDatabaseUrl"), { max: 2, onnotice: () => {} });
  redis = new Redis(inject("testEnv").REDIS_URL!);
  a = await createTenant();
  b = await createTenant();
});
afterAll(async () => {
  await owner.end();
  redis.disconnect();
});

describe("providers and roles", () => {
  it("answers 404 for an unknown provider and matches slugs case-insensitively after trimming", async () => {
    const res = await call("/api/integrations/tiktok/status/", { token: a.access });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: "Unsupported provider." });
    const loose = await call("/api/integrations/%20GA4%20/status/", { token: a.access });
    expect(loose.status).toBe(200);
    expect(loose.body.provider).toBe("ga4");
  });

  it("lets any member read status and jobs, but only ADMIN start, reconnect, callback, disconnect, provision", async () => {
    const member = await createMember(a);
    for (const p of PROVIDERS) {
      expect((await call(`/api/integrations/${p}/status/`, { token: member.access })).status).toBe(200);
      expect((await call(`/api/integrations/${p}/jobs/`, { token: member.access })).status).toBe(200);
    }
    for (const action of ["oauth/start", "reconnect", "oauth/callback", "disconnect", "provision", "sync"]) {
      const res = await call(`/api/integrations/ga4/${action}/`, { token: member.access, body: {} });
      expect(res.status, action).toBe(403);
    }
    expect((await call("/api/integrations/ga4/status/", {})).status).toBe(401);
  });
});

describe("POST oauth/start/ and reconnect/", () => {
  it("Google: a PKCE authorize URL with every parameter, and a hashed single-use state row", async () => {
    for (const action of ["oauth/start", "reconnect"]) {
      const res = await call(`/api/integrations/google_ads/${action}/`, { token: a.access, body: { return_path: "/dashboards/data-sources?tab=google" } });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(["authorize_url", "provider", "redirect_uri", "state"]);
      expect(res.body.redirect_uri).toBe(`${inject("baseUrl")}/dashboards/data-sources`);
      const url = new URL(res.body.authorize_url);
      expect(`${url.origin}${url.pathname}`).toBe(inject("testEnv").GOOGLE_AUTH_URL);
      expect(Object.fromEntries(url.searchParams)).toMatchObject({
        client_id: inject("testEnv").GOOGLE_OAUTH_CLIENT_ID,
        redirect_uri: res.body.redirect_uri,
        response_type: "code",
        scope: "https://www.googleapis.com/auth/adwords openid email",
        state: res.body.state,
        access_type: "offline",
        prompt: "consent",
        include_granted_scopes: "true",
        code_challenge_method: "S256",
      });
      expect(url.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const hash = createHash("sha256").update(res.body.state).digest("hex");
      const rows = await owner`select state_hash, provider, code_verifier, expires_at - created_at as ttl from oauth_states where state_hash = ${hash}`;
      expect(rows).toHaveLength(1);
      expect(rows[0]!.code_verifier).toBeTruthy();
      const plain = await owner`select 1 from oauth_states where state_hash = ${res.body.state}`;
      expect(plain).toHaveLength(0);
    }
  });

  it("Meta: the versioned dialog URL with comma-joined scopes", async () => {
    const res = await call("/api/integrations/meta_ads/oauth/start/", { token: a.access, body: {} });
    const url = new URL(res.body.authorize_url);
    expect(`${url.origin}${url.pathname}`).toBe(`${inject("testEnv").META_DIALOG_BASE_URL}/v20.0/dialog/oauth`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: inject("testEnv").META_APP_ID,
      redirect_uri: res.body.redirect_uri,
      state: res.body.state,
      response_type: "code",
      scope: "pages_show_list,pages_read_engagement,ads_read,business_management",
    });
  });

  it("rejects a return_path that leaves the site", async () => {
    for (const bad of ["https://evil.example/", "//evil.example/x", "relative"]) {
      const res = await call("/api/integrations/ga4/oauth/start/", { token: a.access, body: { return_path: bad } });
      expect(res.status).toBe(400);
      expect(Object.keys(res.body)).toEqual(["return_path"]);
    }
  });
});

describe("POST oauth/callback/ — state checks in the spec's order", () => {
  it("requires code and state", async () => {
    const res = await call("/api/integrations/ga4/oauth/callback/", { token: a.access, body: { code: " ", state: "" } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: ["This field may not be blank."], state: ["This field may not be blank."] });
    const missing = await call("/api/integrations/ga4/oauth/callback/", { token: a.access, body: {} });
    expect(missing.body).toEqual({ code: ["This field is required."], state: ["This field is required."] });
  });

  it("unknown state → invalid; replayed state → invalid", async () => {
    const unknown = await call("/api/integrations/ga4/oauth/callback/", { token: a.access, body: { code: "x", state: "nope" } });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ detail: "OAuth state is invalid." });

    const user = fakeUser("replay");
    const started = await start(a, "ga4");
    const back = await consent(started.authorize_url, user);
    const first = await call("/api/integrations/ga4/oauth/callback/", { token: a.access, body: { code: back.get("code"), state: back.get("state") } });
    expect(first.status).toBe(200);
    const again = await call("/api/integrations/ga4/oauth/callback/", { token: a.access, body: { code: back.get("code"), state: back.get("state") } });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ detail: "OAuth state is invalid." });
  });

  it("expired state → 400 expired, and it is consumed", async () => {
    const started = await start(a, "ga4");
    const hash = createHash("sha256").update(started.state).digest("hex");
    await owner`update oauth_states set expires_at = now() - interval '1 second' where state_hash = ${hash}`;
    const res = await call("/api/integrations/ga4/oauth/callback/", { token: a.access, body: { code: "c", state: started.state } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ detail: "OAuth state expired. Restart the connect flow." });
    const replay = await call("/api/integrations/ga4/oauth/callback/", { token: a.access, body: { code: "c", state: started.state } });
    expect(replay.body).toEqual({ detail: "OAuth state is invalid." });
  });

  it("state of another provider → 400 mismatch", async () => {
    const started = await start(a, "google_ads");
    const res = await call("/api/integrations/ga4/oauth/callback/", { token: a.access, body: { code: "c", state: started.state } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ detail: "OAuth state provider mismatch." });
  });

  it("state of another user or another tenant → 403", async () => {
    const otherAdmin = await makeAdmin(a);
    const started = await start(a, "ga4");
    const res = await call("/api/integrations/ga4/oauth/callback/", { token: otherAdmin.access, body: { code: "c", state: started.state } });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ detail: "OAuth state does not match the authenticated tenant user." });

    const fromA = await start(a, "ga4");
    const cross = await call("/api/integrations/ga4/oauth/callback/", { token: b.access, body: { code: "c", state: fromA.state } });
    expect(cross.status).toBe(403);
    expect(cross.body).toEqual({ detail: "OAuth state does not match the authenticated tenant user." });
    // B's attempt did not consume A's state: A can still finish.
    const back = await consent(fromA.authorize_url, fakeUser("owner"));
    const mine = await call("/api/integrations/ga4/oauth/callback/", { token: a.access, body: { code: back.get("code"), state: fromA.state } });
    expect(mine.status).toBe(200);
  });
});

describe("POST oauth/callback/ — exchange and discovery", () => {
  it("a provider error on the exchange → 502 without provider text; the state stays consumed", async () => {
    const g = fakeUser("gfail");
    await failNext("google", { path: "/token", match: g, mode: "invalid_grant" });
    const res = await callback(a, "ga4", g);
    expect(res.status).toBe(502);
    expect(res.body).toEqual({ detail: "Google OAuth exchange failed for this provider." });

    const m = fakeUser("mfail");
    await failNext("meta", { path: "/oauth/access_token", match: m, mode: "status", status: 500, times: 5 });
    const meta = await callback(a, "meta_ads", m);
    expect(meta.status).toBe(502);
    expect(meta.body).toEqual({ detail: "Meta OAuth exchange failed for this provider." });

    const t = fakeUser("gtimeout");
    await failNext("google", { path: "/token", match: t, mode: "timeout" });
    const slow = await callback(a, "search_console", t);
    expect(slow.status).toBe(502);
    expect(slow.body).toEqual({ detail: "Google OAuth exchange failed for this provider." });
  });

  it("a 429 from the token endpoint is retried and the flow succeeds", async () => {
    const u = fakeUser("g429");
    await failNext("google", { path: "/token", match: u, mode: "status", status: 429 });
    const res = await callback(a, "ga4", u);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("selection_required");
  });

  it("lists the choices without tokens, then persists only the chosen account", async () => {
    for (const provider of PROVIDERS) {
      const t = await createTenant();
      const res = await callback(t, provider, fakeUser(`sel-${provider}`));
      expect(res.status, provider).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(["expires_at", "options", "provider", "selection_id", "status"]);
      expect(res.body.status).toBe("selection_required");
      expect(res.body.options).toHaveLength(2);
      for (const o of res.body.options) expect(Object.keys(o).filter((k) => !["id", "name", "category"].includes(k))).toEqual([]);
      const expires = new Date(res.body.expires_at).getTime() - Date.now();
      expect(expires).toBeGreaterThan(590_000);
      expect(expires).toBeLessThanOrEqual(600_000);
      // In Redis under this deployment's key prefix, as one vault record (no token in clear).
      const cached = await redis.get(`${inject("testEnv").REDIS_KEY_PREFIX}:oauth_selection:${t.id}:${t.adminId}:${provider}:${res.body.selection_id}`);
      expect(JSON.parse(cached!).ciphertext).toMatch(/^enc1:\d+:/);
      expect(cached).not.toMatch(/ya29\.|1\/\/rt-|EAA[LSP]-/);

      const wrong = await call(`/api/integrations/${provider}/oauth/callback/`, { token: t.access, body: { selection_id: res.body.selection_id, account_id: "999" } });
      expect(wrong.status).toBe(400);
      expect(wrong.body).toEqual({ account_id: ["Not one of the available accounts."] });
      // Deleted on any outcome: the same selection is gone now.
      const gone = await call(`/api/integrations/${provider}/oauth/callback/`, { token: t.access, body: { selection_id: res.body.selection_id, account_id: res.body.options[0].id } });
      expect(gone.status).toBe(400);
      expect(gone.body).toEqual({ detail: "Selection expired. Restart the connect flow." });

      const ok = await connect(t, provider, fakeUser(`sel2-${provider}`));
      expect(ok.body.status).toBe("connected");
      expect(Object.keys(ok.body.credential).sort()).toEqual(
        ["account_id", "account_name", "created_at", "expires_at", "granted_scopes", "id", "last_refreshed_at", "provider", "token_status", "token_status_reason", "updated_at"].sort(),
      );
      expect(ok.body.credential.token_status).toBe("valid");
      expect("refresh_token_received" in ok.body).toBe(provider !== "facebook_pages" && provider !== "meta_ads");
      const rows = await owner`select account_id from platform_credentials where tenant_id = ${t.id} and provider = ${provider}`;
      expect(rows).toHaveLength(1);
      bodies.push(res.text, ok.text);
    }
  });

  it("an unknown or someone else's selection is expired", async () => {
    const res = await call("/api/integrations/ga4/oauth/callback/", { token: a.access, body: { selection_id: "5d6f3c1e-0000-4000-8000-000000000000", account_id: "1" } });
    expect(res.body).toEqual({ detail: "Selection expired. Restart the connect flow." });
    const mine = await callback(a, "ga4", fakeUser("steal"));
    const stolen = await call("/api/integrations/ga4/oauth/callback/", { token: b.access, body: { selection_id: mine.body.selection_id, account_id: mine.body.options[0].id } });
    expect(stolen.status).toBe(400);
    expect(stolen.body).toEqual({ detail: "Selection expired. Restart the connect flow." });
    // Another provider's step 2 with the id is someone else's selection too.
    const otherProvider = await call("/api/integrations/search_console/oauth/callback/", { token: a.access, body: { selection_id: mine.body.selection_id, account_id: mine.body.options[0].id } });
    expect(otherProvider.body).toEqual({ detail: "Selection expired. Restart the connect flow." });
    // Their attempts destroyed nothing: the owner still completes it.
    const owned = await call("/api/integrations/ga4/oauth/callback/", { token: a.access, body: { selection_id: mine.body.selection_id, account_id: mine.body.options[0].id } });
    expect(owned.status, owned.text).toBe(200);
    expect(owned.body.status).toBe("connected");
  });

  it("exactly one reachable account is connected at once", async () => {
    for (const provider of PROVIDERS) {
      const t = await createTenant();
      const res = await callback(t, provider, fakeUser("single"));
      expect(res.status).toBe(200);
      expect(res.body.status, provider).toBe("connected");
      bodies.push(res.text);
    }
  });

  it("external_account_id connects directly; google_ads wants a customer id; Meta checks the grant reaches it", async () => {
    const t = await createTenant();
    const bad = await callback(t, "google_ads", fakeUser(), { external_account_id: "not-an-id" });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ external_account_id: ["Enter a Google Ads customer id, such as 123-456-7890."] });
    const ok = await callback(t, "google_ads", fakeUser(), { external_account_id: "1234567890" });
    expect(ok.body).toMatchObject({ status: "connected", refresh_token_received: true, credential: { account_id: "1234567890" } });

    const notMine = await callback(t, "meta_ads", fakeUser(), { external_account_id: "act_42" });
    expect(notMine.status).toBe(400);
    expect(notMine.body).toEqual({ external_account_id: ["Not one of the available accounts."] });
  });

  it("a Google Ads customer id with dashes is stored, provisioned and placed as its digits", async () => {
    const t = await createTenant();
    const res = await callback(t, "google_ads", fakeUser("dashes"), { external_account_id: "987-654-3210" });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ status: "connected", credential: { account_id: "9876543210", account_name: "9876543210" } });
    const rows = await owner`select account_id from platform_credentials where tenant_id = ${t.id} and provider = 'google_ads'`;
    expect(rows.map((r) => r.account_id)).toEqual(["9876543210"]);
    // The same id in its other spelling names the same credential: one row, updated in place.
    const again = await callback(t, "google_ads", fakeUser("dashes"), { external_account_id: " 9876543210 " });
    expect(again.body.credential.id).toBe(res.body.credential.id);
    // Provision by the dashed spelling finds it; the warehouse prefix derives from the digits.
    const provisioned = await call("/api/integrations/google_ads/provision/", { token: t.access, body: { external_account_id: "987-654-3210" } });
    expect(provisioned.status, provisioned.text).toBe(201);
    expect(provisioned.body.connection.stream_prefix).toBe("google_ads_9876543210_");
    const [connection] = await owner`select account_id, name from airbyte_connections where tenant_id = ${t.id} and provider = 'google_ads'`;
    expect(connection!.account_id).toBe("9876543210");
    const disconnected = await call("/api/integrations/google_ads/disconnect/", { token: t.access, body: { external_account_id: "987-654-3210" } });
    expect(disconnected.body).toMatchObject({ credentials_deleted: 1, connections_paused: 1 });
  });

  it("the account picker takes a Google Ads customer id with dashes and stores the digits", async () => {
    const t = await createTenant();
    const first = await callback(t, "google_ads", fakeUser("picker"));
    expect(first.body.status).toBe("selection_required");
    const option: string = first.body.options[1].id;
    expect(option).toMatch(/^\d{10}$/);
    const dashed = `${option.slice(0, 3)}-${option.slice(3, 6)}-${option.slice(6)}`;
    const picked = await call("/api/integrations/google_ads/oauth/callback/", { token: t.access, body: { selection_id: first.body.selection_id, account_id: dashed } });
    expect(picked.status, picked.text).toBe(200);
    expect(picked.body.credential.account_id).toBe(option);
  });

  it("reconnecting the same account updates it in place; a grant without refresh token keeps the stored one", async () => {
    const t = await createTenant();
    const first = await callback(t, "google_ads", fakeUser("first"), { external_account_id: "5550001111" });
    const reconnect = await call("/api/integrations/google_ads/reconnect/", { token: t.access, body: {} });
    const back = await consent(reconnect.body.authorize_url, fakeUser("norefresh"));
    const second = await call("/api/integrations/google_ads/oauth/callback/", {
      token: t.access,
      body: { code: back.get("code"), state: back.get("state"), external_account_id: "5550001111" },
    });
    expect(second.body).toMatchObject({ status: "connected", refresh_token_received: false });
    expect(second.body.credential.id).toBe(first.body.credential.id);
    const [row] = await owner`select refresh_token_enc from platform_credentials where id = ${first.body.credential.id}`;
    expect(row!.refresh_token_enc).toBeTruthy();
    const audit = await owner`select count(*)::int as n from audit_logs where tenant_id = ${t.id} and action = 'integration_oauth_connected'`;
    expect(audit[0]!.n).toBe(2);
  });

  it("never puts a token in a response body", () => {
    expect(bodies.length).toBeGreaterThan(20);
    for (const text of bodies) expect(text).not.toMatch(/ya29\.|1\/\/rt-|EAA[LSP]-/);
  });
});
