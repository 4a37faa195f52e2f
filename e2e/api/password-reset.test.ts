/** spec/accounts.md "Password reset": no enumeration, hashed single-use expiring tokens, 204 on confirm. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { api, createMember, createTenant, PASSWORD, uniqueEmail, type TestTenant } from "../support/api";
import { mailTo, ownerSql, sha256, tokenFrom, waitForMail } from "../support/team";

const sql = ownerSql();
let t: TestTenant;
beforeAll(async () => {
  t = await createTenant();
});
afterAll(async () => sql.end());

const request = (email: unknown) => api("/api/auth/password-reset/", { body: { email } });
const confirm = (token: unknown, password: unknown) => api("/api/auth/password-reset/confirm/", { body: { token, password } });

/** Requests a reset for `email` and returns the token from the e-mail the fake received. */
async function resetToken(email: string): Promise<string> {
  const before = (await mailTo(email)).length;
  expect((await request(email)).status).toBe(202);
  const mails = await waitForMail(email, before + 1);
  expect(mails.length).toBe(before + 1);
  return tokenFrom(mails.at(-1)!.text, "/reset-password")!;
}

describe("POST /api/auth/password-reset/", () => {
  it("answers 202 with an empty body whether or not the address exists", async () => {
    const m = await createMember(t);
    const known = await request(m.email.toUpperCase());
    const unknown = await request(uniqueEmail("ghost"));
    for (const res of [known, unknown]) {
      expect(res.status).toBe(202);
      expect(res.text).toBe("");
    }
    const [mail] = await waitForMail(m.email);
    expect(mail!.subject).toBe("Reset your ADinsights password");
    expect(mail!.text).toContain(`${inject("baseUrl")}/reset-password?token=`);
    expect(mail!.html).toContain("/reset-password?token=");
    const token = tokenFrom(mail!.text, "/reset-password")!;
    const rows = await sql`select token_hash, expires_at, used_at from password_resets where user_id = ${m.id}`;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(sha256(token));
    const ttl = new Date(rows[0]!.expires_at).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(58 * 60_000);
    expect(ttl).toBeLessThanOrEqual(60 * 60_000);
    const [audit] = await sql`select user_id, metadata from audit_logs where action = 'password_reset_requested' and user_id = ${m.id}`;
    expect(audit!.metadata).toHaveProperty("ip");
  });

  it("answers an existing and an unknown address in the same time (medians of 30 each, interleaved)", async () => {
    const m = await createMember(t);
    const times: Record<"known" | "unknown", number[]> = { known: [], unknown: [] };
    const timed = async (kind: "known" | "unknown") => {
      const started = performance.now();
      const res = await request(kind === "known" ? m.email : uniqueEmail("ghost"));
      times[kind].push(performance.now() - started);
      expect(res.status).toBe(202);
      // Let the previous request's background work finish, so it does not slow the next measurement.
      await new Promise((r) => setTimeout(r, 30));
    };
    for (let round = 0; round < 30; round++) {
      const order: ("known" | "unknown")[] = round % 2 ? ["known", "unknown"] : ["unknown", "known"];
      for (const kind of order) await timed(kind);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const [known, unknown] = [median(times.known), median(times.unknown)];
    console.log(`password-reset request medians: existing ${known.toFixed(2)} ms, unknown ${unknown.toFixed(2)} ms`);
    expect(Math.abs(known - unknown)).toBeLessThan(Math.max(3, 0.25 * Math.max(known, unknown)));
    // The work still happens for the real account, after the answer: its latest link arrives.
    const mails = await waitForMail(m.email, 1);
    expect(mails.length).toBeGreaterThanOrEqual(1);
  });

  it("rejects malformed input with 400", async () => {
    expect((await request("not-an-email")).body).toEqual({ email: ["Enter a valid email address."] });
    expect((await api("/api/auth/password-reset/", { body: {} })).body).toEqual({ email: ["This field is required."] });
  });
});

describe("POST /api/auth/password-reset/confirm/", () => {
  it("sets the password (204), revokes refresh tokens, works once, and is audited", async () => {
    const m = await createMember(t);
    const token = await resetToken(m.email);
    const weak = await confirm(token, "short");
    expect(weak.status).toBe(400);
    expect(weak.body).toEqual({ password: ["This password is too short. It must contain at least 8 characters."] });
    const done = await confirm(token, "a-brand-new-passphrase");
    expect(done.status).toBe(204);
    expect(done.text).toBe("");
    expect((await api("/api/token/", { body: { email: m.email, password: PASSWORD } })).status).toBe(401);
    expect((await api("/api/token/", { body: { email: m.email, password: "a-brand-new-passphrase" } })).status).toBe(200);
    const refreshed = await api("/api/token/refresh/", { body: { refresh: m.refresh } });
    expect(refreshed.status).toBe(401);
    const reused = await confirm(token, "another-new-passphrase");
    expect(reused.status).toBe(400);
    expect(reused.body).toEqual({ token: ["Invalid or expired password reset token."] });
    expect(await sql`select 1 from audit_logs where action = 'password_reset_completed' and user_id = ${m.id}`).toHaveLength(1);
  });

  it("rejects unknown, expired and superseded tokens with the same message", async () => {
    const m = await createMember(t);
    const message = { token: ["Invalid or expired password reset token."] };
    expect((await confirm("no-such-token", PASSWORD)).body).toEqual(message);
    const first = await resetToken(m.email);
    const second = await resetToken(m.email);
    expect((await confirm(first, "superseded-pass-1")).body).toEqual(message);
    await sql`update password_resets set expires_at = now() - interval '1 second' where token_hash = ${sha256(second)}`;
    const expired = await confirm(second, "expired-pass-123");
    expect(expired.status).toBe(400);
    expect(expired.body).toEqual(message);
    expect((await api("/api/token/", { body: { email: m.email, password: PASSWORD } })).status).toBe(200);
    expect((await api("/api/auth/password-reset/confirm/", { body: {} })).body).toEqual({
      token: ["This field is required."],
      password: ["This field is required."],
    });
  });

  it("only one of two concurrent confirms of one token succeeds", async () => {
    const m = await createMember(t);
    const token = await resetToken(m.email);
    const results = await Promise.all([confirm(token, "racing-pass-one"), confirm(token, "racing-pass-two")]);
    expect(results.map((r) => r.status).sort()).toEqual([204, 400]);
    expect(await sql`select 1 from audit_logs where action = 'password_reset_completed' and user_id = ${m.id}`).toHaveLength(1);
  });
});
