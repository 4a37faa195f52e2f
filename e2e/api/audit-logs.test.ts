/** spec/accounts.md "Audit log": ADMIN-only list with filters and pagination, streamed CSV export. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, baseUrl, createMember, createTenant, uniqueEmail, type TestTenant } from "../support/api";
import { memberWithRole, ownerSql } from "../support/team";

const sql = ownerSql();
let t: TestTenant;
let other: TestTenant;

beforeAll(async () => {
  t = await createTenant();
  other = await createTenant();
  // tenant_created + login (createTenant), then 3 user_created and 1 invite_created.
  for (let i = 0; i < 3; i++) await createMember(t);
  await api("/api/users/invite/", { token: t.access, body: { email: uniqueEmail("audit") } });
  await createMember(other);
});
afterAll(async () => sql.end());

describe("GET /api/audit-logs/", () => {
  it("lists the tenant's events newest first with the actor, in the spec's shape", async () => {
    const res = await api("/api/audit-logs/", { token: t.access });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(["count", "next", "previous", "results"]);
    const rows = res.body.results;
    expect(rows.length).toBeGreaterThanOrEqual(9);
    for (const r of rows) {
      expect(Object.keys(r).sort()).toEqual(["action", "created_at", "id", "metadata", "resource_id", "resource_type", "tenant", "user"]);
      expect(r.tenant).toBe(t.id);
    }
    const times = rows.map((r: { created_at: string }) => new Date(r.created_at).getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const created = rows.find((r: { action: string }) => r.action === "tenant_created");
    expect(created.user).toEqual({ id: t.adminId, email: t.adminEmail });
    expect(created.resource_type).toBe("tenant");
    expect(created.resource_id).toBe(t.id);
    expect(JSON.stringify(rows)).not.toMatch(/password|token_hash/i);
  });

  it("filters by action, resource_type and dates; rejects bad dates", async () => {
    const byAction = await api("/api/audit-logs/?action=user_created", { token: t.access });
    expect(byAction.body.count).toBe(3);
    expect(byAction.body.results.every((r: { action: string }) => r.action === "user_created")).toBe(true);
    const byType = await api("/api/audit-logs/?resource_type=invitation", { token: t.access });
    expect(byType.body.results.map((r: { action: string }) => r.action)).toEqual(["invite_created"]);
    const all = (await api("/api/audit-logs/", { token: t.access })).body.count;
    expect((await api("/api/audit-logs/?start_date=2000-01-01&end_date=2999-12-31&action=", { token: t.access })).body.count).toBe(all);
    expect((await api("/api/audit-logs/?end_date=2000-01-01", { token: t.access })).body.count).toBe(0);
    expect((await api("/api/audit-logs/?start_date=2999-01-01", { token: t.access })).body.count).toBe(0);
    const now = new Date(Date.now() + 60_000).toISOString();
    expect((await api(`/api/audit-logs/?end_date=${encodeURIComponent(now)}`, { token: t.access })).body.count).toBe(all);
    for (const bad of ["start_date=yesterday", "end_date=2026-02-30", "start_date=2026-13-01"]) {
      const res = await api(`/api/audit-logs/?${bad}`, { token: t.access });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ [bad.split("=")[0]!]: ["Enter a valid date."] });
    }
  });

  it("paginates 50 by default, at most 200", async () => {
    const busy = await createTenant();
    await sql`insert into audit_logs (tenant_id, user_id, action, resource_type)
      select ${busy.id}, ${busy.adminId}, 'login', 'user' from generate_series(1, 240)`;
    const first = await api("/api/audit-logs/", { token: busy.access });
    expect(first.body.results).toHaveLength(50);
    expect(first.body.count).toBe(242);
    expect(first.body.next).toBe(`${baseUrl()}/api/audit-logs/?page=2`);
    const big = await api("/api/audit-logs/?page_size=1000", { token: busy.access });
    expect(big.body.results).toHaveLength(200);
    expect((await api("/api/audit-logs/?page=7", { token: busy.access })).status).toBe(404);
  });

  it("is ADMIN-only and never shows another tenant's events", async () => {
    for (const role of ["ANALYST", "VIEWER", null] as const) {
      const m = await memberWithRole(t, role);
      expect((await api("/api/audit-logs/", { token: m.access })).status).toBe(403);
      expect((await api("/api/audit-logs/export_csv/", { token: m.access })).status).toBe(403);
    }
    const theirs = await api("/api/audit-logs/?page_size=200", { token: other.access });
    expect(theirs.body.results.every((r: { tenant: string }) => r.tenant === other.id)).toBe(true);
    expect((await api("/api/audit-logs/")).status).toBe(401);
  });
});

describe("GET /api/audit-logs/export_csv/", () => {
  it("streams text/csv with the spec's columns, filtered like the list", async () => {
    const res = await fetch(`${baseUrl()}/api/audit-logs/export_csv/?action=user_created`, {
      headers: { authorization: `Bearer ${t.access}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = (await res.text()).trim().split("\r\n");
    expect(lines[0]).toBe("id,action,resource_type,resource_id,user_email,metadata,created_at");
    const listed = await api("/api/audit-logs/?action=user_created", { token: t.access });
    expect(lines).toHaveLength(1 + listed.body.count);
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(listed.body.results.map((r: { id: string }) => r.id));
    const cells = lines[1]!.match(/("([^"]|"")*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, ""));
    expect(cells[1]).toBe("user_created");
    expect(cells[4]).toBe(t.adminEmail);
    expect(JSON.parse(cells[5]!.slice(1, -1).replace(/""/g, '"'))).toHaveProperty("email");
    expect(new Date(cells[6]!).toString()).not.toBe("Invalid Date");
  });

  it("exports more rows than one batch in order without gaps", async () => {
    const busy = await createTenant();
    await sql`insert into audit_logs (tenant_id, user_id, action, resource_type, created_at)
      select ${busy.id}, null, 'login', 'user', now() - (g || ' microseconds')::interval from generate_series(1, 1200) g`;
    const res = await fetch(`${baseUrl()}/api/audit-logs/export_csv/?action=login`, { headers: { authorization: `Bearer ${busy.access}` } });
    const lines = (await res.text()).trim().split("\r\n").slice(1);
    expect(lines).toHaveLength(1201);
    expect(new Set(lines.map((l) => l.split(",")[0])).size).toBe(1201);
    const bad = await api("/api/audit-logs/export_csv/?start_date=nope", { token: busy.access });
    expect(bad.status).toBe(400);
  });
});
