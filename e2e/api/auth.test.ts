/** spec/accounts.md "Tokens" and api.md "Authentication", against the running app. */
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { api, createTenant, PASSWORD, uniqueEmail } from "../support/api";

const SAME_BAD_CREDENTIALS = { detail: "No active account found with the given credentials" };

function forge(token: string, change: (claims: Record<string, unknown>) => void, key?: string): string {
  const [header, payload, signature] = token.split(".") as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
  change(claims);
  const body = `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}`;
  const sig = key ? createHmac("sha256", key).update(body).digest("base64url") : signature;
  return `${body}.${sig}`;
}

describe("POST /api/token/ and /api/auth/login/", () => {
  it("issues a token pair with the spec's claims", async () => {
    const t = await createTenant();
    const res = await api("/api/token/", { body: { email: t.adminEmail, password: PASSWORD } });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(["access", "refresh"]);
    const claims = JSON.parse(Buffer.from(res.body.access.split(".")[1], "base64url").toString());
    expect(claims).toMatchObject({ token_type: "access", user_id: t.adminId, tenant_id: t.id });
    expect(claims.exp - claims.iat).toBe(30 * 60);
    const refresh = JSON.parse(Buffer.from(res.body.refresh.split(".")[1], "base64url").toString());
    expect(refresh.token_type).toBe("refresh");
    expect(refresh.exp - refresh.iat).toBe(24 * 60 * 60);
    expect(typeof claims.jti).toBe("string");
  });

  it("accepts the login under `username` and in any letter case", async () => {
    const t = await createTenant();
    const res = await api("/api/token/", { body: { username: t.adminEmail.toUpperCase(), password: PASSWORD } });
    expect(res.status).toBe(200);
  });

  it("login answers tokens, tenant id and the user", async () => {
    const t = await createTenant();
    const res = await api("/api/auth/login/", { body: { email: t.adminEmail, password: PASSWORD } });
    expect(res.status).toBe(200);
    expect(res.body.tenant_id).toBe(t.id);
    expect(res.body.user).toEqual({
      id: t.adminId,
      email: t.adminEmail,
      first_name: "Ada",
      last_name: "Admin",
      tenant: t.id,
      timezone: "America/Jamaica",
      roles: ["ADMIN"],
    });
    expect(res.body.access).toBeTypeOf("string");
    expect(res.body.refresh).toBeTypeOf("string");
  });

  it("answers a wrong password and an unknown e-mail identically", async () => {
    const t = await createTenant();
    const wrong = await api("/api/auth/login/", { body: { email: t.adminEmail, password: "not-the-password" } });
    const unknown = await api("/api/auth/login/", { body: { email: uniqueEmail("ghost"), password: "not-the-password" } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toMatchObject(SAME_BAD_CREDENTIALS);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.headers.get("www-authenticate")).toBe('Bearer realm="api"');
  });

  it("reports missing and mistyped fields per field", async () => {
    expect((await api("/api/token/", { body: {} })).body).toEqual({
      email: ["This field is required."],
      password: ["This field is required."],
    });
    const typed = await api("/api/token/", { body: { email: 42, password: ["x"] } });
    expect(typed.status).toBe(400);
    expect(typed.body).toEqual({ email: ["Enter a valid email address."], password: ["Not a valid string."] });
    const blank = await api("/api/auth/login/", { body: { email: "  ", password: "" } });
    expect(blank.body).toEqual({ email: ["This field may not be blank."], password: ["This field may not be blank."] });
    const array = await api("/api/token/", { body: [1, 2] });
    expect(array.status).toBe(400);
    expect(array.body).toEqual({ non_field_errors: ["Invalid data. Expected a dictionary."] });
  });

  it("writes an audit row for the login", async () => {
    // Visible through the database directly in rls.test.ts; here: the login works twice.
    const t = await createTenant();
    for (let i = 0; i < 2; i++) expect((await api("/api/token/", { body: { email: t.adminEmail, password: PASSWORD } })).status).toBe(200);
  });
});

describe("POST /api/token/refresh/", () => {
  it("rotates: the new pair works, the old refresh token stops working", async () => {
    const t = await createTenant();
    const first = await api("/api/token/refresh/", { body: { refresh: t.refresh } });
    expect(first.status).toBe(200);
    expect(Object.keys(first.body).sort()).toEqual(["access", "refresh"]);
    expect((await api("/api/me/", { token: first.body.access })).status).toBe(200);

    const replay = await api("/api/token/refresh/", { body: { refresh: t.refresh } });
    expect(replay.status).toBe(401);
    expect(replay.body).toEqual({ detail: "Token is invalid or expired", code: "token_not_valid" });
  });

  it("revokes the whole family when a spent token is replayed", async () => {
    const t = await createTenant();
    const next = await api("/api/token/refresh/", { body: { refresh: t.refresh } });
    expect((await api("/api/token/refresh/", { body: { refresh: t.refresh } })).status).toBe(401);
    // The thief replayed the old token: the legitimate newer one is revoked too.
    expect((await api("/api/token/refresh/", { body: { refresh: next.body.refresh } })).status).toBe(401);
  });

  it("rejects an access token, a tampered token and garbage", async () => {
    const t = await createTenant();
    const invalid = { detail: "Token is invalid or expired", code: "token_not_valid" };
    expect((await api("/api/token/refresh/", { body: { refresh: t.access } })).body).toEqual(invalid);
    const tampered = forge(t.refresh, (c) => (c.user_id = "00000000-0000-4000-8000-000000000000"));
    expect((await api("/api/token/refresh/", { body: { refresh: tampered } })).status).toBe(401);
    expect((await api("/api/token/refresh/", { body: { refresh: "not.a.jwt" } })).body).toEqual(invalid);
    expect((await api("/api/token/refresh/", { body: {} })).body).toEqual({ refresh: ["This field is required."] });
  });

  it("only one of two concurrent refreshes with the same token succeeds", async () => {
    const t = await createTenant();
    const results = await Promise.all([1, 2, 3].map(() => api("/api/token/refresh/", { body: { refresh: t.refresh } })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
  });
});

describe("Bearer authentication", () => {
  it("401s without a token, with a bad one, or with a refresh token", async () => {
    const t = await createTenant();
    const missing = await api("/api/me/");
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ detail: "Authentication credentials were not provided." });
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="api"');

    const invalid = { detail: "Given token not valid for any token type", code: "token_not_valid" };
    expect((await api("/api/me/", { token: t.refresh })).body).toEqual(invalid);
    expect((await api("/api/me/", { token: "abc.def.ghi" })).body).toEqual(invalid);
    expect((await api("/api/me/", { token: forge(t.access, (c) => (c.tenant_id = t.id.replace(/.$/, t.id.endsWith("0") ? "1" : "0"))) })).body).toEqual(invalid);
  });

  it("rejects an expired token even when correctly signed", async () => {
    const t = await createTenant();
    const key = "integration-tests-signing-key-0123456789abcdef";
    const expired = forge(t.access, (c) => ((c.exp = Math.floor(Date.now() / 1000) - 5), (c.iat = (c.exp as number) - 1800)), key);
    expect((await api("/api/me/", { token: expired })).status).toBe(401);
    // Same forgery with a live expiry is accepted, proving the key is right and only expiry failed.
    const live = forge(t.access, (c) => (c.exp = Math.floor(Date.now() / 1000) + 60), key);
    expect((await api("/api/me/", { token: live })).status).toBe(200);
  });

  it("ignores an X-Tenant-Id header: the tenant comes from the token", async () => {
    const a = await createTenant();
    const b = await createTenant();
    const res = await api("/api/me/", { token: a.access, headers: { "x-tenant-id": b.id } });
    expect(res.body.tenant_id).toBe(a.id);
  });
});
