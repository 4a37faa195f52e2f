/**
 * The tRPC procedures behind the accept-invite and reset-password pages: `invites.preview` and
 * `passwordReset.request/confirm` answer like the REST routes over the same services.
 */
import { describe, expect, it } from "vitest";
import { createTRPCClient, httpBatchLink, type TRPCClientError } from "@trpc/client";
import type { AppRouter } from "../../server/api/root";
import { api, baseUrl, createTenant, PASSWORD, uniqueEmail } from "../support/api";
import { memberWithRole, ownerSql, tokenFrom, waitForMail } from "../support/team";

const client = (token?: string) =>
  createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${baseUrl()}/api/trpc`, headers: () => (token ? { authorization: `Bearer ${token}` } : {}) })],
  });
const fieldsOf = async (p: Promise<unknown>) => {
  const error = (await p.catch((e: unknown) => e)) as TRPCClientError<AppRouter>;
  expect(error.data?.code).toBe("BAD_REQUEST");
  return (error.data as { fields: unknown }).fields;
};

describe("tRPC invites.preview", () => {
  it("shows the address, agency and role of a live token, and the accept's own errors for any other", async () => {
    const t = await createTenant();
    const email = uniqueEmail("preview");
    const invite = await client(t.access).invites.create.mutate({ email, role: "ANALYST" });
    const preview = await client().invites.preview.mutate({ token: invite.token });
    expect(preview).toEqual({ email, tenant_name: t.name, role: "ANALYST", expires_at: expect.any(String) });

    expect(await fieldsOf(client().invites.preview.mutate({ token: "not-a-real-token" }))).toEqual({
      token: ["Invalid invitation token."],
    });
    expect(await fieldsOf(client().invites.preview.mutate({ token: "" }))).toEqual({ token: ["This field may not be blank."] });

    const sql = ownerSql();
    try {
      await sql`update invitations set expires_at = now() - interval '1 second' where id = ${invite.id}`;
      expect(await fieldsOf(client().invites.preview.mutate({ token: invite.token }))).toEqual({ token: ["Invitation has expired."] });
      await sql`update invitations set expires_at = now() + interval '1 hour' where id = ${invite.id}`;
    } finally {
      await sql.end();
    }
    await client().invites.accept.mutate({ token: invite.token, password: PASSWORD });
    expect(await fieldsOf(client().invites.preview.mutate({ token: invite.token }))).toEqual({
      token: ["Invitation has already been accepted."],
    });
  });
});

describe("tRPC passwordReset", () => {
  it("request answers the same for known and unknown addresses; confirm sets the password once, with REST's messages", async () => {
    const t = await createTenant();
    const member = await memberWithRole(t, "VIEWER");
    expect(await client().passwordReset.request.mutate({ email: uniqueEmail("nobody") })).toEqual({ requested: true });
    expect(await client().passwordReset.request.mutate({ email: member.email })).toEqual({ requested: true });
    expect(await fieldsOf(client().passwordReset.request.mutate({ email: "nope" }))).toEqual({ email: ["Enter a valid email address."] });

    const [mail] = await waitForMail(member.email);
    const token = tokenFrom(mail!.text, "/reset-password")!;
    const restShort = await api("/api/auth/password-reset/confirm/", { body: { token, password: "short" } });
    expect(restShort.status).toBe(400);
    expect(await fieldsOf(client().passwordReset.confirm.mutate({ token, password: "short" }))).toEqual(restShort.body);

    expect(await client().passwordReset.confirm.mutate({ token, password: "a-brand-new-passphrase" })).toEqual({ reset: true });
    expect(await fieldsOf(client().passwordReset.confirm.mutate({ token, password: "another-passphrase" }))).toEqual({
      token: ["Invalid or expired password reset token."],
    });
    expect((await api("/api/token/", { body: { email: member.email, password: "a-brand-new-passphrase" } })).status).toBe(200);
  });
});
