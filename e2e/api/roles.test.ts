/** spec/accounts.md "Roles": list, assign, revoke, the last-admin rule, tenant boundaries, audit. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, createMember, createTenant, type TestTenant } from "../support/api";
import { memberWithRole, ownerSql } from "../support/team";

const sql = ownerSql();
let t: TestTenant;
let other: TestTenant;

beforeAll(async () => {
  t = await createTenant();
  other = await createTenant();
});
afterAll(async () => sql.end());

const assign = (token: string, body: unknown, path = "/api/roles/assign/") => api(path, { token, body });
const adminAssignment = async (tenant: TestTenant, userId: string) =>
  (await sql`select id from user_roles where tenant_id = ${tenant.id} and user_id = ${userId} and role = 'ADMIN'`)[0]!.id as string;

describe("GET /api/user-roles/", () => {
  it("lists the caller's tenant's assignments (any role), paginated, never another tenant's", async () => {
    const viewer = await memberWithRole(t, "VIEWER");
    const res = await api("/api/user-roles/", { token: viewer.access });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(["count", "next", "previous", "results"]);
    expect(res.body.results.length).toBeGreaterThanOrEqual(2);
    for (const r of res.body.results) {
      expect(Object.keys(r).sort()).toEqual(["created_at", "id", "role", "tenant", "user"]);
      expect(r.tenant).toBe(t.id);
    }
    expect(res.body.results[0]).toMatchObject({ user: t.adminId, role: "ADMIN" });
    const page = await api("/api/user-roles/?page_size=1&page=2", { token: t.access });
    expect(page.body.results).toHaveLength(1);
    expect(page.body.previous).toContain("page_size=1");
    expect((await api("/api/user-roles/?page=99", { token: t.access })).status).toBe(404);
    expect((await api("/api/user-roles/")).status).toBe(401);
  });
});

describe("POST /api/roles/assign/ and /api/user-roles/", () => {
  it("assigns (201), returns the existing assignment (200), ignores a `tenant` key, audits once", async () => {
    const m = await createMember(t);
    for (const path of ["/api/roles/assign/", "/api/user-roles/"]) {
      const first = await assign(t.access, { user: m.id, role: path === "/api/user-roles/" ? "VIEWER" : "ANALYST", tenant: other.id }, path);
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ user: m.id, tenant: t.id });
      const again = await assign(t.access, { user: m.id, role: first.body.role }, path);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
    }
    const me = await api("/api/me/", { token: m.access });
    expect(me.body.user.roles).toEqual(["ANALYST", "VIEWER"]);
    const audits = await sql`select user_id, resource_id, metadata from audit_logs where action = 'role_assigned' and tenant_id = ${t.id} and metadata->>'target_user_id' = ${m.id}`;
    expect(audits).toHaveLength(2);
    expect(audits[0]!.user_id).toBe(t.adminId);
    expect(audits.map((a) => a.metadata.role).sort()).toEqual(["ANALYST", "VIEWER"]);
  });

  it("validates: unknown role, missing fields, bad uuid", async () => {
    const m = await createMember(t);
    const bad = await assign(t.access, { user: m.id, role: "X" });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ role: ['"X" is not a valid choice.'] });
    expect((await assign(t.access, {})).body).toEqual({ user: ["This field is required."], role: ["This field is required."] });
    expect((await assign(t.access, { user: "abc", role: "VIEWER" })).body).toEqual({ user: ["Must be a valid UUID."] });
  });

  it("a user of another tenant (or none) → 400 non_field_errors, nothing written", async () => {
    const theirs = await createMember(other);
    for (const user of [theirs.id, "00000000-0000-4000-8000-000000000000"]) {
      const res = await assign(t.access, { user, role: "ADMIN", tenant: other.id });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ non_field_errors: ["The selected user does not belong to this tenant."] });
    }
    expect(await sql`select 1 from user_roles where user_id = ${theirs.id}`).toHaveLength(0);
    expect(await sql`select 1 from audit_logs where action = 'role_assigned' and metadata->>'target_user_id' = ${theirs.id}`).toHaveLength(0);
  });
});

describe("DELETE /api/user-roles/{id}/", () => {
  it("revokes (204) with an audit row; the role stops working at once", async () => {
    const m = await memberWithRole(t, "ADMIN");
    const id = await adminAssignment(t, m.id);
    expect((await api("/api/users/invite/", { token: m.access, body: { email: `x-${id.slice(0, 6)}@example.test` } })).status).toBe(201);
    const res = await api(`/api/user-roles/${id}/`, { method: "DELETE", token: t.access });
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    expect(await sql`select 1 from user_roles where id = ${id}`).toHaveLength(0);
    const [audit] = await sql`select user_id, metadata from audit_logs where action = 'role_revoked' and resource_id = ${id}`;
    expect(audit).toEqual({ user_id: t.adminId, metadata: { role: "ADMIN", target_user_id: m.id } });
    expect((await api("/api/users/invite/", { token: m.access, body: { email: `y-${id.slice(0, 6)}@example.test` } })).status).toBe(403);
    expect((await api(`/api/user-roles/${id}/`, { method: "DELETE", token: t.access })).status).toBe(404);
  });

  it("another tenant's assignment → 404 and it stays; malformed id → 404", async () => {
    const theirs = await adminAssignment(other, other.adminId);
    const res = await api(`/api/user-roles/${theirs}/`, { method: "DELETE", token: t.access });
    expect(res.status).toBe(404);
    expect(await sql`select 1 from user_roles where id = ${theirs}`).toHaveLength(1);
    expect(await sql`select 1 from audit_logs where action = 'role_revoked' and resource_id = ${theirs}`).toHaveLength(0);
    expect((await api(`/api/user-roles/zzz/`, { method: "DELETE", token: t.access })).status).toBe(404);
  });

  it("the last ADMIN assignment cannot be removed", async () => {
    const solo = await createTenant();
    const id = await adminAssignment(solo, solo.adminId);
    const res = await api(`/api/user-roles/${id}/`, { method: "DELETE", token: solo.access });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ detail: "A tenant must keep at least one administrator." });
    expect(await sql`select 1 from user_roles where id = ${id}`).toHaveLength(1);
  });

  it("two admins removing each other's ADMIN role at the same time leave exactly one admin", async () => {
    for (let round = 0; round < 3; round++) {
      const pair = await createTenant();
      const second = await memberWithRole(pair, "ADMIN");
      const firstId = await adminAssignment(pair, pair.adminId);
      const secondId = await adminAssignment(pair, second.id);
      const results = await Promise.all([
        api(`/api/user-roles/${secondId}/`, { method: "DELETE", token: pair.access }),
        api(`/api/user-roles/${firstId}/`, { method: "DELETE", token: second.access }),
      ]);
      const statuses = results.map((r) => r.status).sort();
      // Whoever goes second either lost ADMIN already (403) or hits the last-admin rule (400).
      expect(statuses[0]).toBe(204);
      expect([400, 403]).toContain(statuses[1]);
      expect(await sql`select 1 from user_roles where tenant_id = ${pair.id} and role = 'ADMIN'`).toHaveLength(1);
    }
  });

  it("non-admins get 403 and nothing is removed", async () => {
    const analyst = await memberWithRole(t, "ANALYST");
    const id = await adminAssignment(t, t.adminId);
    expect((await api(`/api/user-roles/${id}/`, { method: "DELETE", token: analyst.access })).status).toBe(403);
    expect(await sql`select 1 from user_roles where id = ${id}`).toHaveLength(1);
  });
});
