/** tRPC `invites` and `members` routers: same services, same rules, same field messages as REST. */
import { describe, expect, it } from "vitest";
import { createTRPCClient, httpBatchLink, type TRPCClientError } from "@trpc/client";
import type { AppRouter } from "../../server/api/root";
import { api, baseUrl, createTenant, PASSWORD, uniqueEmail } from "../support/api";
import { memberWithRole, ownerSql } from "../support/team";

const client = (token?: string) =>
  createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${baseUrl()}/api/trpc`, headers: () => (token ? { authorization: `Bearer ${token}` } : {}) })],
  });
const errorOf = async (p: Promise<unknown>) => (await p.catch((e: unknown) => e)) as TRPCClientError<AppRouter>;

describe("tRPC invites", () => {
  it("create → listPending → revoke (token stops working) → accept of another invite", async () => {
    const t = await createTenant();
    const admin = client(t.access);
    const email = uniqueEmail("trpc");
    const created = await admin.invites.create.mutate({ email, role: "ANALYST" });
    expect(created).toMatchObject({ email, role: "ANALYST", accepted_at: null });
    const pending = await admin.invites.listPending.query();
    expect(pending.count).toBe(1);
    expect(pending.results[0]).toMatchObject({ id: created.id, email, role: "ANALYST", expired: false });
    expect(JSON.stringify(pending)).not.toContain(created.token);

    expect(await admin.invites.revoke.mutate({ id: created.id })).toEqual({ id: created.id, revoked: true });
    expect((await admin.invites.listPending.query()).count).toBe(0);
    expect((await errorOf(admin.invites.revoke.mutate({ id: created.id }))).data?.code).toBe("NOT_FOUND");
    const dead = await errorOf(client().invites.accept.mutate({ token: created.token, password: PASSWORD }));
    expect(dead.data?.code).toBe("BAD_REQUEST");
    expect((dead.data as { fields: unknown }).fields).toEqual({ token: ["Invalid invitation token."] });
    const sql = ownerSql();
    try {
      expect(await sql`select 1 from audit_logs where action = 'invite_revoked' and resource_id = ${created.id}`).toHaveLength(1);
    } finally {
      await sql.end();
    }

    const second = await admin.invites.create.mutate({ email, role: "VIEWER" });
    const user = await client().invites.accept.mutate({ token: second.token, password: PASSWORD, first_name: "T" });
    expect(user).toMatchObject({ email, tenant: t.id, roles: ["VIEWER"], first_name: "T" });
    const invalid = await errorOf(admin.invites.create.mutate({ email: "bad", role: "X" as never }));
    expect((invalid.data as { fields: unknown }).fields).toEqual({
      email: ["Enter a valid email address."],
      role: ['"X" is not a valid choice.'],
    });
  });
});

describe("tRPC members", () => {
  it("lists members with their assignments; assign and revoke like REST, including the last-admin rule", async () => {
    const t = await createTenant();
    const admin = client(t.access);
    const viewer = await memberWithRole(t, "VIEWER");
    const page = await client(viewer.access).members.list.query();
    expect(page.count).toBe(2);
    const me = page.results.find((m) => m.id === t.adminId)!;
    expect(me.roles).toEqual([{ id: expect.any(String), role: "ADMIN" }]);

    const granted = await admin.members.assign.mutate({ user: viewer.id, role: "ANALYST" });
    expect(granted.created).toBe(true);
    expect((await admin.members.assign.mutate({ user: viewer.id, role: "ANALYST" })).created).toBe(false);
    expect((await api("/api/me/", { token: viewer.access })).body.user.roles).toEqual(["ANALYST", "VIEWER"]);
    await admin.members.revoke.mutate({ id: granted.assignment.id });
    expect((await api("/api/me/", { token: viewer.access })).body.user.roles).toEqual(["VIEWER"]);

    const last = await errorOf(admin.members.revoke.mutate({ id: me.roles[0]!.id }));
    expect(last.data?.code).toBe("BAD_REQUEST");
    expect(last.message).toBe("A tenant must keep at least one administrator.");
  });
});
