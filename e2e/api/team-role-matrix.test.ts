/**
 * Who may call what: every team endpoint (REST and tRPC) × ADMIN / ANALYST / VIEWER / no role.
 * The table is also written to e2e/artifacts/role-matrix.md.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { createTRPCClient, httpBatchLink, type TRPCClientError } from "@trpc/client";
import type { AppRouter } from "../../server/api/root";
import { api, baseUrl, createMember, createTenant, uniqueEmail, type TestTenant } from "../support/api";
import { memberWithRole, ownerSql } from "../support/team";

type Role = "ADMIN" | "ANALYST" | "VIEWER" | "none";
const ROLES: Role[] = ["ADMIN", "ANALYST", "VIEWER", "none"];
let t: TestTenant;
const tokens = {} as Record<Role, string>;

const trpc = (token: string) =>
  createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${baseUrl()}/api/trpc`, headers: () => ({ authorization: `Bearer ${token}` }) })] });

/** Runs a tRPC call and maps it to the HTTP status its error code stands for. */
async function trpcStatus(call: () => Promise<unknown>): Promise<number> {
  try {
    await call();
    return 200;
  } catch (error) {
    return (error as TRPCClientError<AppRouter>).data?.httpStatus ?? 500;
  }
}

async function freshInvite(): Promise<string> {
  const res = await api("/api/users/invite/", { token: t.access, body: { email: uniqueEmail("matrix") } });
  return res.body.id as string;
}
async function freshAssignment(): Promise<string> {
  const m = await createMember(t);
  const res = await api("/api/roles/assign/", { token: t.access, body: { user: m.id, role: "VIEWER" } });
  return res.body.id as string;
}

interface Row {
  endpoint: string;
  allowed: Role[];
  /** Status for an allowed caller. */
  ok: number;
  call: (token: string) => Promise<number>;
}

const status = async (p: Promise<{ status: number }>) => (await p).status;

const ROWS: Row[] = [
  { endpoint: "POST /api/tenants/{own id}/invite/", allowed: ["ADMIN"], ok: 201, call: (tk) => status(api(`/api/tenants/${t.id}/invite/`, { token: tk, body: { email: uniqueEmail() } })) },
  { endpoint: "POST /api/users/invite/", allowed: ["ADMIN"], ok: 201, call: (tk) => status(api("/api/users/invite/", { token: tk, body: { email: uniqueEmail() } })) },
  { endpoint: "POST /api/tenants/{own id}/invite/resend/", allowed: ["ADMIN"], ok: 200, call: async (tk) => status(api(`/api/tenants/${t.id}/invite/resend/`, { token: tk, body: { invitation_id: await freshInvite() } })) },
  { endpoint: "POST /api/users/invite/resend/", allowed: ["ADMIN"], ok: 200, call: async (tk) => status(api("/api/users/invite/resend/", { token: tk, body: { invitation_id: await freshInvite() } })) },
  { endpoint: "GET /api/user-roles/", allowed: ["ADMIN", "ANALYST", "VIEWER", "none"], ok: 200, call: (tk) => status(api("/api/user-roles/", { token: tk })) },
  { endpoint: "POST /api/roles/assign/", allowed: ["ADMIN"], ok: 201, call: async (tk) => status(api("/api/roles/assign/", { token: tk, body: { user: (await createMember(t)).id, role: "VIEWER" } })) },
  { endpoint: "POST /api/user-roles/", allowed: ["ADMIN"], ok: 201, call: async (tk) => status(api("/api/user-roles/", { token: tk, body: { user: (await createMember(t)).id, role: "ANALYST" } })) },
  { endpoint: "DELETE /api/user-roles/{id}/", allowed: ["ADMIN"], ok: 204, call: async (tk) => status(api(`/api/user-roles/${await freshAssignment()}/`, { method: "DELETE", token: tk })) },
  { endpoint: "GET /api/audit-logs/", allowed: ["ADMIN"], ok: 200, call: (tk) => status(api("/api/audit-logs/", { token: tk })) },
  { endpoint: "GET /api/audit-logs/export_csv/", allowed: ["ADMIN"], ok: 200, call: (tk) => status(api("/api/audit-logs/export_csv/", { token: tk })) },
  { endpoint: "tRPC invites.create", allowed: ["ADMIN"], ok: 200, call: (tk) => trpcStatus(() => trpc(tk).invites.create.mutate({ email: uniqueEmail(), role: "VIEWER" })) },
  { endpoint: "tRPC invites.listPending", allowed: ["ADMIN"], ok: 200, call: (tk) => trpcStatus(() => trpc(tk).invites.listPending.query()) },
  { endpoint: "tRPC invites.resend", allowed: ["ADMIN"], ok: 200, call: async (tk) => { const id = await freshInvite(); return trpcStatus(() => trpc(tk).invites.resend.mutate({ invitation_id: id })); } },
  { endpoint: "tRPC invites.revoke", allowed: ["ADMIN"], ok: 200, call: async (tk) => { const id = await freshInvite(); return trpcStatus(() => trpc(tk).invites.revoke.mutate({ id })); } },
  { endpoint: "tRPC members.list", allowed: ["ADMIN", "ANALYST", "VIEWER", "none"], ok: 200, call: (tk) => trpcStatus(() => trpc(tk).members.list.query()) },
  { endpoint: "tRPC members.assign", allowed: ["ADMIN"], ok: 200, call: async (tk) => { const user = (await createMember(t)).id; return trpcStatus(() => trpc(tk).members.assign.mutate({ user, role: "VIEWER" })); } },
  { endpoint: "tRPC members.revoke", allowed: ["ADMIN"], ok: 200, call: async (tk) => { const id = await freshAssignment(); return trpcStatus(() => trpc(tk).members.revoke.mutate({ id })); } },
];

beforeAll(async () => {
  t = await createTenant();
  tokens.ADMIN = (await memberWithRole(t, "ADMIN")).access;
  tokens.ANALYST = (await memberWithRole(t, "ANALYST")).access;
  tokens.VIEWER = (await memberWithRole(t, "VIEWER")).access;
  tokens.none = (await memberWithRole(t, null)).access;
});

describe("role matrix (team endpoints)", () => {
  const observed: Record<string, Record<Role, number>> = {};

  for (const row of ROWS) {
    it(row.endpoint, async () => {
      observed[row.endpoint] = {} as Record<Role, number>;
      for (const role of ROLES) {
        const got = await row.call(tokens[role]);
        observed[row.endpoint]![role] = got;
        expect({ role, status: got }).toEqual({ role, status: row.allowed.includes(role) ? row.ok : 403 });
      }
    });
  }

  it("public routes need no role; anonymous calls to the others are 401", async () => {
    expect((await api("/api/auth/password-reset/", { body: { email: uniqueEmail() } })).status).toBe(202);
    expect((await api("/api/users/accept-invite/", { body: { token: "x", password: "whatever-123" } })).status).toBe(400);
    for (const [method, p] of [["POST", "/api/users/invite/"], ["GET", "/api/user-roles/"], ["POST", "/api/roles/assign/"], ["GET", "/api/audit-logs/"], ["DELETE", "/api/user-roles/00000000-0000-4000-8000-000000000000/"]] as const)
      expect((await api(p, { method, body: method === "POST" ? {} : undefined })).status).toBe(401);
    const lines = ["| endpoint | ADMIN | ANALYST | VIEWER | no role |", "|---|---|---|---|---|"];
    for (const row of ROWS) {
      const o = observed[row.endpoint];
      if (o) lines.push(`| ${row.endpoint} | ${ROLES.map((r) => o[r]).join(" | ")} |`);
    }
    lines.push("| POST /api/users/accept-invite/, /api/auth/password-reset/, …/confirm/ | public | public | public | public |");
    writeFileSync(path.join(path.dirname(inject("serverLog")), "role-matrix.md"), lines.join("\n") + "\n");
  });
});

describe("cross-tenant writes through tRPC", () => {
  it("cannot revoke another tenant's invite or assignment, nor assign their user; nothing changes", async () => {
    const other = await createTenant();
    const sql = ownerSql();
    try {
      const theirInvite = (await api("/api/users/invite/", { token: other.access, body: { email: uniqueEmail() } })).body.id;
      const theirAssignment = (await sql`select id from user_roles where tenant_id = ${other.id}`)[0]!.id;
      const admin = trpc(t.access);
      expect(await trpcStatus(() => admin.invites.revoke.mutate({ id: theirInvite }))).toBe(404);
      expect(await trpcStatus(() => admin.members.revoke.mutate({ id: theirAssignment }))).toBe(404);
      expect(await trpcStatus(() => admin.members.assign.mutate({ user: other.adminId, role: "ADMIN" }))).toBe(400);
      expect(await sql`select 1 from invitations where id = ${theirInvite}`).toHaveLength(1);
      expect(await sql`select 1 from user_roles where id = ${theirAssignment}`).toHaveLength(1);
      expect(await sql`select 1 from user_roles where user_id = ${other.adminId}`).toHaveLength(1);
    } finally {
      await sql.end();
    }
  });
});
