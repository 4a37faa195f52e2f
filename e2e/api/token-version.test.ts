/**
 * api.md §0.17: a password change ends every access token (and refresh token, and browser session)
 * issued before it, not only refresh tokens. Tokens carry the user's token version (`ver`), checked
 * in the one principal query every request already makes. Sign-out is covered in the browser
 * tests (e2e/browser/security.spec.ts), where the session lives.
 */
import jwt from "jsonwebtoken";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createTRPCClient, httpBatchLink, type TRPCClientError } from "@trpc/client";
import type { AppRouter } from "../../server/api/root";
import { api, baseUrl, createMember, createTenant, PASSWORD } from "../support/api";
import { mailTo, ownerSql, tokenFrom, waitForMail } from "../support/team";

const sql = ownerSql();
afterAll(() => sql.end());

const invalid = { detail: "Given token not valid for any token type", code: "token_not_valid" };
const me = (token: string) => api("/api/me/", { token });

async function resetPassword(email: string, password: string) {
  const before = (await mailTo(email)).length;
  expect((await api("/api/auth/password-reset/", { body: { email } })).status).toBe(202);
  const mails = await waitForMail(email, before + 1);
  const token = tokenFrom(mails.at(-1)!.text, "/reset-password")!;
  expect((await api("/api/auth/password-reset/confirm/", { body: { token, password } })).status).toBe(204);
}

describe("a password reset ends earlier credentials", () => {
  it("access tokens issued before are refused at once (REST and tRPC); new ones work", async () => {
    const t = await createTenant();
    const m = await createMember(t);
    expect((await me(m.access)).status).toBe(200);
    const before = (await sql<{ token_version: number }[]>`select token_version from users where id = ${m.id}`)[0]!.token_version;

    await resetPassword(m.email, "a-whole-new-passphrase");
    const after = (await sql<{ token_version: number }[]>`select token_version from users where id = ${m.id}`)[0]!.token_version;
    expect(after).toBe(before + 1);

    const old = await me(m.access);
    expect(old.status).toBe(401);
    expect(old.body).toEqual(invalid);
    expect(old.headers.get("www-authenticate")).toBe('Bearer realm="api"');
    const trpc = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${baseUrl()}/api/trpc`, headers: { authorization: `Bearer ${m.access}` } })] });
    const refused = (await trpc.me.get.query().catch((e: unknown) => e)) as TRPCClientError<AppRouter>;
    expect(refused.data?.code).toBe("UNAUTHORIZED");
    expect((await api("/api/token/refresh/", { body: { refresh: m.refresh } })).status).toBe(401);

    const fresh = await api("/api/token/", { body: { email: m.email, password: "a-whole-new-passphrase" } });
    expect(fresh.status).toBe(200);
    expect((await me(fresh.body.access)).status).toBe(200);
    // The new pair refreshes; the refreshed access token carries the current version too.
    const refreshed = await api("/api/token/refresh/", { body: { refresh: fresh.body.refresh } });
    expect(refreshed.status).toBe(200);
    expect((await me(refreshed.body.access)).status).toBe(200);
    expect(jwt.decode(refreshed.body.access)).toMatchObject({ ver: after });
  });

  it("the version is what is checked: a well-signed token naming an older version is refused, the current one accepted", async () => {
    const t = await createTenant();
    const m = await createMember(t);
    await resetPassword(m.email, "another-passphrase-1");
    const claims = jwt.decode(m.access) as Record<string, unknown>;
    const key = inject("testEnv").SECRET_KEY!;
    const sign = (ver: number | undefined) => {
      const { ver: _v, exp: _e, iat: _i, ...rest } = claims;
      return jwt.sign({ ...rest, ...(ver === undefined ? {} : { ver }) }, key, { algorithm: "HS256", expiresIn: 300 });
    };
    expect((await me(sign(0))).body).toEqual(invalid);
    // A token without `ver` (issued by the old backend) counts as version 0: refused after a change.
    expect((await me(sign(undefined))).body).toEqual(invalid);
    expect((await me(sign(-1))).body).toEqual(invalid);
    expect((await me(sign(1))).status).toBe(200);
  });

  it("a user who never changed the password keeps tokens issued by the old backend (no ver claim)", async () => {
    const t = await createTenant();
    const { ver: _v, exp: _e, iat: _i, ...claims } = jwt.decode(t.access) as Record<string, unknown>;
    const legacy = jwt.sign(claims, inject("testEnv").SECRET_KEY!, { algorithm: "HS256", expiresIn: 300 });
    expect((await me(legacy)).status).toBe(200);
  });
});

describe("accounts created from an invitation", () => {
  it("an account created by accepting an invitation starts at version 0 and can sign in", async () => {
    const t = await createTenant();
    const invite = await api("/api/users/invite/", { token: t.access, body: { email: `v0-${Date.now()}@example.test` } });
    const accepted = await api("/api/users/accept-invite/", { body: { token: invite.body.token, password: PASSWORD } });
    expect(accepted.status).toBe(201);
    expect(Object.keys(accepted.body)).not.toContain("tokenVersion");
    const token_version = (await sql<{ token_version: number }[]>`select token_version from users where id = ${accepted.body.id}`)[0]!.token_version;
    expect(token_version).toBe(0);
  });
});
