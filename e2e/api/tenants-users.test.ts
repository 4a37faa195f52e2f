/** spec/accounts.md "Tenants", "Users" and "Profile", against the running app. */
import { describe, expect, it } from "vitest";
import { api, baseUrl, createMember, createTenant, PASSWORD, uniqueEmail } from "../support/api";

describe("POST /api/tenants/ (sign-up)", () => {
  it("creates the tenant and its ADMIN in one go", async () => {
    const email = uniqueEmail("founder");
    const res = await api("/api/tenants/", { body: { name: "Kingston Media", admin_email: email, admin_password: PASSWORD } });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(["admin_user_id", "created_at", "id", "name"]);
    expect(res.body.name).toBe("Kingston Media");
    expect(new Date(res.body.created_at).toString()).not.toBe("Invalid Date");
    const login = await api("/api/auth/login/", { body: { email, password: PASSWORD } });
    expect(login.body.user.roles).toEqual(["ADMIN"]);
    expect(login.body.tenant_id).toBe(res.body.id);
  });

  it("rejects a registered e-mail (any case) and leaves no half-made tenant", async () => {
    const t = await createTenant();
    const res = await api("/api/tenants/", {
      body: { name: "Dup Agency", admin_email: t.adminEmail.toUpperCase(), admin_password: PASSWORD },
    });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ admin_email: ["A user with this email already exists."] });
  });

  it("validates every field", async () => {
    const res = await api("/api/tenants/", { body: { name: "x".repeat(256), admin_email: "not-an-email", admin_password: "123" } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      name: ["Ensure this field has no more than 255 characters."],
      admin_email: ["Enter a valid email address."],
    });
    const weak = await api("/api/tenants/", { body: { name: "A", admin_email: uniqueEmail(), admin_password: "12345678" } });
    expect(weak.body).toEqual({ admin_password: ["This password is entirely numeric."] });
    const short = await api("/api/tenants/", { body: { name: "A", admin_email: uniqueEmail(), admin_password: "abc" } });
    expect(short.body).toEqual({ admin_password: ["This password is too short. It must contain at least 8 characters."] });
    expect((await api("/api/tenants/", { body: {} })).body).toEqual({
      name: ["This field is required."],
      admin_email: ["This field is required."],
      admin_password: ["This field is required."],
    });
    const long = await api("/api/tenants/", {
      body: { name: "A", admin_email: uniqueEmail(), admin_password: PASSWORD, admin_first_name: "f".repeat(151) },
    });
    expect(long.body).toEqual({ admin_first_name: ["Ensure this field has no more than 150 characters."] });
  });
});

describe("GET /api/tenants/", () => {
  it("lists only the caller's tenant, paginated", async () => {
    const a = await createTenant();
    await createTenant();
    const res = await api("/api/tenants/", { token: a.access });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ count: 1, next: null, previous: null, results: [expect.objectContaining({ id: a.id, name: a.name })] });
    expect(Object.keys(res.body.results[0]).sort()).toEqual(["created_at", "id", "name"]);
    expect((await api("/api/tenants/?page=2", { token: a.access })).body).toEqual({ detail: "Invalid page." });
  });

  it("platform superusers (the default admin) see every tenant", async () => {
    const mine = await createTenant();
    const login = await api("/api/token/", { body: { email: "admin@example.com", password: "integration-admin-pass" } });
    expect(login.status).toBe(200);
    const res = await api("/api/tenants/?page_size=500", { token: login.body.access });
    expect(res.body.count).toBeGreaterThanOrEqual(2);
    expect(res.body.results.map((t: { id: string }) => t.id)).toContain(mine.id);
  });

  it("shows one's own tenant by id and 404s any other id", async () => {
    const a = await createTenant();
    const b = await createTenant();
    expect((await api(`/api/tenants/${a.id}/`, { token: a.access })).body).toMatchObject({ id: a.id, name: a.name });
    const other = await api(`/api/tenants/${b.id}/`, { token: a.access });
    expect(other.status).toBe(404);
    expect(other.body).toEqual({ detail: "Not found." });
    expect((await api(`/api/tenants/not-a-uuid/`, { token: a.access })).status).toBe(404);
  });
});

describe("/api/users/", () => {
  it("an ADMIN creates a user who joins the tenant with no role", async () => {
    const t = await createTenant();
    const email = uniqueEmail("new");
    const res = await api("/api/users/", {
      token: t.access,
      body: { email: email.toUpperCase(), password: PASSWORD, first_name: "Nia", timezone: "Europe/London" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), email, first_name: "Nia", last_name: "", timezone: "Europe/London" });
    const me = await api("/api/token/", { body: { email, password: PASSWORD } });
    const profile = await api("/api/me/", { token: me.body.access });
    expect(profile.body).toEqual({
      user: { id: res.body.id, email, first_name: "Nia", last_name: "", tenant: t.id, timezone: "Europe/London", roles: [] },
      tenant_id: t.id,
    });
  });

  it("rejects duplicates, bad zones and non-admins", async () => {
    const t = await createTenant();
    const dup = await api("/api/users/", { token: t.access, body: { email: t.adminEmail, password: PASSWORD } });
    expect(dup.body).toEqual({ email: ["A user with this email already exists."] });
    const zone = await api("/api/users/", { token: t.access, body: { email: uniqueEmail(), password: PASSWORD, timezone: "Mars/Base" } });
    expect(zone.status).toBe(400);
    expect(Object.keys(zone.body)).toEqual(["timezone"]);
    const same = await api("/api/users/", { token: t.access, body: { email: "pw@example.test", password: "pw@example.test" } });
    expect(same.body).toEqual({ password: ["The password is too similar to the email."] });
    const member = await createMember(t);
    const denied = await api("/api/users/", { token: member.access, body: { email: uniqueEmail(), password: PASSWORD } });
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({ detail: "You do not have permission to perform this action." });
  });

  it("lists the caller's tenant only, by e-mail, with DRF pagination", async () => {
    const a = await createTenant();
    const b = await createTenant();
    const emails = ["c", "a", "b"].map((p) => `${p}-${a.id.slice(0, 6)}@example.test`);
    for (const email of emails) await createMember(a, email);
    await createMember(b);

    const all = await api("/api/users/", { token: a.access });
    expect(all.body.count).toBe(4);
    const listed = all.body.results.map((u: { email: string }) => u.email);
    expect(listed).toEqual([...listed].sort());
    expect(all.body.results.every((u: { tenant: string }) => u.tenant === a.id)).toBe(true);
    expect(all.body.results.find((u: { id: string }) => u.id === a.adminId).roles).toEqual(["ADMIN"]);

    const page1 = await api("/api/users/?page_size=2", { token: a.access });
    expect(page1.body.results).toHaveLength(2);
    expect(page1.body.previous).toBeNull();
    expect(page1.body.next).toBe(`${baseUrl()}/api/users/?page_size=2&page=2`);
    const page2 = await api("/api/users/?page_size=2&page=2", { token: a.access });
    expect(page2.body.results).toHaveLength(2);
    expect(page2.body.next).toBeNull();
    expect(page2.body.previous).toBe(`${baseUrl()}/api/users/?page_size=2`);
    expect((await api("/api/users/?page=3&page_size=2", { token: a.access })).status).toBe(404);
    expect((await api("/api/users/?page=abc", { token: a.access })).body).toEqual({ detail: "Invalid page." });
  });
});

describe("probes", () => {
  it("health, readiness, version and time zone", async () => {
    expect((await api("/api/health/")).body).toEqual({ status: "ok" });
    const ready = await api("/api/health/ready/");
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: "ok", checks: { database: "ok", redis: "ok" } });
    expect((await api("/api/health/version/")).body).toEqual({ version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect((await api("/api/timezone/")).body).toEqual({ timezone: "America/Jamaica" });
  });
});
