/** The browser's tRPC API calls the same services as REST. */
import { describe, expect, it } from "vitest";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import type { AppRouter } from "../../server/api/root";
import { baseUrl, createMember, createTenant, PASSWORD, uniqueEmail } from "../support/api";

const client = (token?: string) =>
  createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${baseUrl()}/api/trpc`, headers: () => (token ? { authorization: `Bearer ${token}` } : {}) })],
  });

describe("tRPC", () => {
  it("me.get returns the same profile as GET /api/me/", async () => {
    const t = await createTenant();
    const me = await client(t.access).me.get.query();
    expect(me.tenant_id).toBe(t.id);
    expect(me.user.roles).toEqual(["ADMIN"]);
  });

  it("rejects anonymous calls to authed procedures with UNAUTHORIZED", async () => {
    const error = await client().me.get.query().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<AppRouter>).data?.code).toBe("UNAUTHORIZED");
  });

  it("tenants.list and tenants.current see only the caller's tenant; byId hides others", async () => {
    const a = await createTenant();
    const b = await createTenant();
    const page = await client(a.access).tenants.list.query();
    expect(page.results.map((r) => r.id)).toEqual([a.id]);
    expect((await client(a.access).tenants.current.query()).id).toBe(a.id);
    const error = await client(a.access).tenants.byId.query({ id: b.id }).catch((e: unknown) => e);
    expect((error as TRPCClientError<AppRouter>).data?.code).toBe("NOT_FOUND");
  });

  it("tenants.signUp validates with the REST field messages", async () => {
    const error = await client()
      .tenants.signUp.mutate({ name: "", admin_email: "nope", admin_password: PASSWORD })
      .catch((e: unknown) => e);
    const data = (error as TRPCClientError<AppRouter>).data as { code: string; fields: Record<string, string[]> };
    expect(data.code).toBe("BAD_REQUEST");
    expect(data.fields).toEqual({ name: ["This field may not be blank."], admin_email: ["Enter a valid email address."] });
    const created = await client().tenants.signUp.mutate({ name: "Via tRPC", admin_email: uniqueEmail(), admin_password: PASSWORD });
    expect(created.name).toBe("Via tRPC");
  });

  it("a user without a role can read their profile", async () => {
    const t = await createTenant();
    const member = await createMember(t);
    expect((await client(member.access).me.get.query()).user.roles).toEqual([]);
  });
});
