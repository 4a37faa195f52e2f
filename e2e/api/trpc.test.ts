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

describe("tRPC limits (same as REST)", () => {
  const trpcUrl = (path: string) => `${baseUrl()}/api/trpc/${path}`;

  it("a body over 1 MiB is refused with 413 before it is parsed, in tRPC's error shape", async () => {
    const big = JSON.stringify({ name: "x".repeat(2 * 1024 * 1024), admin_email: uniqueEmail(), admin_password: PASSWORD });
    const res = await fetch(trpcUrl("tenants.signUp"), { method: "POST", headers: { "content-type": "application/json" }, body: big });
    expect(res.status).toBe(413);
    const body = await res.json();
    expect(body.error.data).toMatchObject({ code: "PAYLOAD_TOO_LARGE", httpStatus: 413 });
    expect(body.error.message).toBe("Request body is too large.");
    expect(JSON.stringify(body)).not.toMatch(/stack|at .*\.js/);
    // A chunked body (no Content-Length) is counted as it arrives.
    const chunked = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 40; i++) controller.enqueue(new TextEncoder().encode("y".repeat(64 * 1024)));
        controller.close();
      },
    });
    const streamed = await fetch(trpcUrl("tenants.signUp"), {
      method: "POST",
      // Its own connection: the server stops reading at the limit, so this one is not reused.
      headers: { "content-type": "application/json", connection: "close" },
      body: chunked,
      duplex: "half",
    } as RequestInit);
    expect(streamed.status).toBe(413);
    // Just under the limit is read and validated as usual (400 with field errors, not 413).
    const fits = JSON.stringify({ name: "y".repeat(1000 * 1024), admin_email: "nope", admin_password: PASSWORD });
    const ok = await fetch(trpcUrl("tenants.signUp"), { method: "POST", headers: { "content-type": "application/json" }, body: fits });
    expect(ok.status).toBe(400);
  });

  it("a batch of more than 20 calls is refused with 400; 20 run, authenticating once", async () => {
    const t = await createTenant();
    const calls = (n: number) => Array.from({ length: n }, () => "members.list").join(",");
    const input = (n: number) => encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [i, {}]))));
    const headers = { authorization: `Bearer ${t.access}` };
    const tooMany = await fetch(trpcUrl(`${calls(200)}?batch=1&input=${input(200)}`), { headers });
    expect(tooMany.status).toBe(400);
    expect(JSON.stringify(await tooMany.json())).toContain("Batch call exceeds maximum size");
    const twentyOne = await fetch(trpcUrl(`${calls(21)}?batch=1&input=${input(21)}`), { headers });
    expect(twentyOne.status).toBe(400);
    const twenty = await fetch(trpcUrl(`${calls(20)}?batch=1&input=${input(20)}`), { headers });
    expect(twenty.status).toBe(200);
    const answers = (await twenty.json()) as unknown[];
    expect(answers).toHaveLength(20);
  });

  it("an invitation token is never read from a URL: invites.preview is a POST-only mutation", async () => {
    const t = await createTenant();
    const invite = await client(t.access).invites.create.mutate({ email: uniqueEmail("get-preview"), role: "VIEWER" });
    const asGet = await fetch(trpcUrl(`invites.preview?input=${encodeURIComponent(JSON.stringify({ token: invite.token }))}`));
    expect(asGet.status).toBe(405);
    expect(JSON.stringify(await asGet.json())).not.toContain("tenant_name");
  });
});
