/** spec/accounts.md "Invitations", against the running app (mail through the SES fake). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { api, createMember, createTenant, PASSWORD, uniqueEmail, type TestTenant } from "../support/api";
import { mailTo, memberWithRole, ownerSql, sha256, tokenFrom } from "../support/team";

const sql = ownerSql();
let t: TestTenant;
let other: TestTenant;

beforeAll(async () => {
  t = await createTenant("Invite Agency");
  other = await createTenant();
});
afterAll(async () => sql.end());

const invite = (tenant: TestTenant, body: unknown, path = `/api/tenants/${tenant.id}/invite/`) =>
  api(path, { token: tenant.access, body });

describe("POST /api/tenants/{id}/invite/ and /api/users/invite/", () => {
  it("creates an invite (default VIEWER), stores only the token hash, and e-mails the link", async () => {
    const email = uniqueEmail("invitee");
    const res = await invite(t, { email: email.toUpperCase() });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(["accepted_at", "email", "expires_at", "id", "role", "token"]);
    expect(res.body).toMatchObject({ email, role: "VIEWER", accepted_at: null });
    const ttl = new Date(res.body.expires_at).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(167 * 3600_000);
    expect(ttl).toBeLessThanOrEqual(168 * 3600_000);

    const [row] = await sql`select * from invitations where id = ${res.body.id}`;
    expect(row!.token_hash).toBe(sha256(res.body.token));
    expect(JSON.stringify(row)).not.toContain(res.body.token);

    const [mail] = await mailTo(email);
    expect(mail).toBeDefined();
    expect(mail!.from).toBe("no-reply@adinsights.test");
    expect(mail!.configuration_set).toBe("adinsights-test");
    expect(mail!.subject).toContain("Invite Agency");
    expect(mail!.text).toContain(`${inject("baseUrl")}/accept-invite?token=${res.body.token}`);
    expect(mail!.html).toContain(`/accept-invite?token=${res.body.token}`);
    expect(tokenFrom(mail!.text, "/accept-invite")).toBe(res.body.token);

    // The outbox row is done and no longer holds the link, sealed or not.
    const outbox = await sql`select * from email_outbox where recipient = ${email}`;
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ status: "sent", sealed_link: null, attempts: 1, template: "invite" });
    expect(JSON.stringify(outbox)).not.toContain(res.body.token);

    const [audit] = await sql`select * from audit_logs where action = 'invite_created' and resource_id = ${res.body.id}`;
    expect(audit).toMatchObject({ tenant_id: t.id, user_id: t.adminId, resource_type: "invitation" });
    expect(audit!.metadata).toEqual({ email, role: "VIEWER" });
  });

  it("legacy /api/users/invite/ invites into the caller's tenant with the given role", async () => {
    const email = uniqueEmail("legacy");
    const res = await invite(t, { email, role: "ANALYST" }, "/api/users/invite/");
    expect(res.status).toBe(201);
    expect(res.body.role).toBe("ANALYST");
    const [row] = await sql`select tenant_id from invitations where id = ${res.body.id}`;
    expect(row!.tenant_id).toBe(t.id);
  });

  it("validates the body", async () => {
    expect((await invite(t, {})).body).toEqual({ email: ["This field is required."] });
    expect((await invite(t, { email: "nope" })).body).toEqual({ email: ["Enter a valid email address."] });
    const bad = await invite(t, { email: uniqueEmail(), role: "OWNER" });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ role: ['"OWNER" is not a valid choice.'] });
    expect((await invite(t, [1, 2])).body).toEqual({ non_field_errors: ["Invalid data. Expected a dictionary."] });
  });

  it("refuses an address that already has an account (any tenant, any case)", async () => {
    const res = await invite(t, { email: other.adminEmail.toUpperCase() });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ email: ["A user with this email already exists."] });
  });

  it("another tenant's id → 404 and nothing is written", async () => {
    const email = uniqueEmail("cross");
    const res = await invite(t, { email }, `/api/tenants/${other.id}/invite/`);
    expect(res.status).toBe(404);
    expect((await invite(t, { email }, `/api/tenants/not-a-uuid/invite/`)).status).toBe(404);
    expect(await sql`select 1 from invitations where email = ${email}`).toHaveLength(0);
    expect(await sql`select 1 from email_outbox where recipient = ${email}`).toHaveLength(0);
    expect(await mailTo(email)).toHaveLength(0);
  });

  it("re-inviting the same address replaces the pending invite; the old token stops working", async () => {
    const email = uniqueEmail("again");
    const first = await invite(t, { email, role: "VIEWER" });
    const second = await invite(t, { email, role: "ANALYST" });
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.token).not.toBe(first.body.token);
    expect(await sql`select role from invitations where tenant_id = ${t.id} and email = ${email}`).toEqual([{ role: "ANALYST" }]);
    const old = await api("/api/users/accept-invite/", { body: { token: first.body.token, password: PASSWORD } });
    expect(old.body).toEqual({ token: ["Invalid invitation token."] });
    const ok = await api("/api/users/accept-invite/", { body: { token: second.body.token, password: PASSWORD } });
    expect(ok.status).toBe(201);
    expect(ok.body.roles).toEqual(["ANALYST"]);
  });
});

describe("POST .../invite/resend/", () => {
  it("issues a fresh token and expiry, e-mails it, and the old token stops working (both routes)", async () => {
    const email = uniqueEmail("resend");
    const first = await invite(t, { email });
    await sql`update invitations set expires_at = now() + interval '1 hour' where id = ${first.body.id}`;
    for (const path of ["/api/users/invite/resend/", `/api/tenants/${t.id}/invite/resend/`]) {
      const res = await api(path, { token: t.access, body: { invitation_id: first.body.id } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: first.body.id, email, role: "VIEWER", accepted_at: null });
      expect(res.body.token).not.toBe(first.body.token);
      expect(new Date(res.body.expires_at).getTime()).toBeGreaterThan(Date.now() + 167 * 3600_000);
    }
    const mails = await mailTo(email);
    expect(mails).toHaveLength(3);
    const latest = tokenFrom(mails[2]!.text, "/accept-invite")!;
    expect((await api("/api/users/accept-invite/", { body: { token: first.body.token, password: PASSWORD } })).status).toBe(400);
    expect((await api("/api/users/accept-invite/", { body: { token: latest, password: PASSWORD } })).status).toBe(201);
    const again = await api("/api/users/invite/resend/", { token: t.access, body: { invitation_id: first.body.id } });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ invitation_id: ["Invitation has already been accepted."] });
    expect(await sql`select 1 from audit_logs where action = 'invite_resent' and resource_id = ${first.body.id}`).toHaveLength(2);
  });

  it("unknown or another tenant's invitation → 400 not found; another tenant's route → 404", async () => {
    const theirs = await invite(other, { email: uniqueEmail() });
    for (const id of ["00000000-0000-4000-8000-000000000000", theirs.body.id]) {
      const res = await api("/api/users/invite/resend/", { token: t.access, body: { invitation_id: id } });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ invitation_id: ["Invitation not found."] });
    }
    const [row] = await sql`select token_hash from invitations where id = ${theirs.body.id}`;
    expect(row!.token_hash).toBe(sha256(theirs.body.token));
    const cross = await api(`/api/tenants/${other.id}/invite/resend/`, { token: t.access, body: { invitation_id: theirs.body.id } });
    expect(cross.status).toBe(404);
    expect((await api("/api/users/invite/resend/", { token: t.access, body: {} })).body).toEqual({
      invitation_id: ["This field is required."],
    });
  });
});

describe("POST /api/users/accept-invite/", () => {
  it("creates the user with the invited role in the inviting tenant and marks the invite accepted", async () => {
    const email = uniqueEmail("joiner");
    const inv = await invite(t, { email, role: "ANALYST" });
    const res = await api("/api/users/accept-invite/", {
      body: { token: inv.body.token, password: PASSWORD, first_name: "Jo", last_name: "Iner", tenant: other.id },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      email,
      first_name: "Jo",
      last_name: "Iner",
      tenant: t.id,
      timezone: "America/Jamaica",
      roles: ["ANALYST"],
    });
    const [row] = await sql`select accepted_at, accepted_user_id from invitations where id = ${inv.body.id}`;
    expect(row!.accepted_at).not.toBeNull();
    expect(row!.accepted_user_id).toBe(res.body.id);
    const login = await api("/api/auth/login/", { body: { email, password: PASSWORD } });
    expect(login.status).toBe(200);
    expect(login.body.tenant_id).toBe(t.id);
    const [audit] = await sql`select user_id, tenant_id from audit_logs where action = 'invite_accepted' and resource_id = ${inv.body.id}`;
    expect(audit).toEqual({ user_id: res.body.id, tenant_id: t.id });
  });

  it("answers the spec's 400s: unknown, reused, expired token; bad password; address taken meanwhile", async () => {
    const unknown = await api("/api/users/accept-invite/", { body: { token: "nope", password: PASSWORD } });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ token: ["Invalid invitation token."] });
    expect((await api("/api/users/accept-invite/", { body: {} })).body).toEqual({
      token: ["This field is required."],
      password: ["This field is required."],
    });

    const email = uniqueEmail("twice");
    const inv = await invite(t, { email });
    const weak = await api("/api/users/accept-invite/", { body: { token: inv.body.token, password: "12345678" } });
    expect(weak.body).toEqual({ password: ["This password is entirely numeric."] });
    const same = await api("/api/users/accept-invite/", { body: { token: inv.body.token, password: email } });
    expect(same.body).toEqual({ password: ["The password is too similar to the email."] });
    expect((await api("/api/users/accept-invite/", { body: { token: inv.body.token, password: PASSWORD } })).status).toBe(201);
    const reused = await api("/api/users/accept-invite/", { body: { token: inv.body.token, password: PASSWORD } });
    expect(reused.status).toBe(400);
    expect(reused.body).toEqual({ token: ["Invitation has already been accepted."] });

    const late = await invite(t, { email: uniqueEmail("late") });
    await sql`update invitations set expires_at = now() - interval '1 second' where id = ${late.body.id}`;
    const expired = await api("/api/users/accept-invite/", { body: { token: late.body.token, password: PASSWORD } });
    expect(expired.status).toBe(400);
    expect(expired.body).toEqual({ token: ["Invitation has expired."] });

    const taken = uniqueEmail("taken");
    const pending = await invite(t, { email: taken });
    await createMember(other, taken);
    const clash = await api("/api/users/accept-invite/", { body: { token: pending.body.token, password: PASSWORD } });
    expect(clash.status).toBe(400);
    expect(clash.body).toEqual({ email: ["A user with this email already exists."] });
    expect(await sql`select tenant_id from users where email = ${taken}`).toEqual([{ tenant_id: other.id }]);
  });

  it("two (and more) concurrent accepts of one invite create exactly one user", async () => {
    const email = uniqueEmail("race");
    const inv = await invite(t, { email, role: "ANALYST" });
    const results = await Promise.all(
      Array.from({ length: 6 }, () => api("/api/users/accept-invite/", { body: { token: inv.body.token, password: PASSWORD } })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 400, 400, 400, 400, 400]);
    for (const r of results.filter((x) => x.status === 400))
      expect(r.body).toEqual({ token: ["Invitation has already been accepted."] });
    expect(await sql`select 1 from users where email = ${email}`).toHaveLength(1);
    expect(await sql`select 1 from user_roles ur join users u on u.id = ur.user_id where u.email = ${email}`).toHaveLength(1);
    expect(await sql`select 1 from audit_logs where action = 'invite_accepted' and resource_id = ${inv.body.id}`).toHaveLength(1);
  });
});

describe("invites and roles of members", () => {
  it("non-admins cannot invite or resend (403); nothing is written", async () => {
    const viewer = await memberWithRole(t, "VIEWER");
    const email = uniqueEmail("nope");
    for (const path of [`/api/tenants/${t.id}/invite/`, "/api/users/invite/"]) {
      const res = await api(path, { token: viewer.access, body: { email } });
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ detail: "You do not have permission to perform this action." });
    }
    expect(await sql`select 1 from invitations where email = ${email}`).toHaveLength(0);
    expect((await api("/api/users/invite/", { body: { email } })).status).toBe(401);
  });
});
