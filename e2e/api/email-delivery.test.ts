/**
 * E-mail through the real SES code path against the SESv2 fake: the from-domain rule both ways,
 * send failures that never fail the request, and the worker's retry (`deliverPendingEmails`,
 * called directly here with the app's own environment).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { resetEnvCache } from "../../server/env";
import { closeDatabase } from "../../server/db/client";
import { deliverPendingEmails, MAX_EMAIL_ATTEMPTS } from "../../server/services/email/outbox";
import { api, createTenant, PASSWORD, uniqueEmail, type TestTenant } from "../support/api";
import { failMailTo, mailTo, ownerSql, tokenFrom, waitForMail } from "../support/team";

const sql = ownerSql();
let t: TestTenant;

beforeAll(async () => {
  // This process runs the worker's delivery function exactly as the app is configured.
  Object.assign(process.env, inject("testEnv"), { LOG_LEVEL: "silent" });
  resetEnvCache();
  t = await createTenant();
});
afterAll(async () => {
  await closeDatabase();
  await sql.end();
});

const outboxOf = async (recipient: string) => (await sql`select * from email_outbox where recipient = ${recipient}`)[0]!;

async function foreign(pathname: string, body: unknown, token?: string) {
  const res = await fetch(`${inject("foreignSenderBaseUrl")}${pathname}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

describe("SES_EXPECTED_FROM_DOMAIN", () => {
  it("matching from-domain: the message reaches SES signed, with both parts and the configuration set", async () => {
    const email = uniqueEmail("match");
    const inv = await api("/api/users/invite/", { token: t.access, body: { email } });
    const [mail] = await mailTo(email);
    expect(mail).toMatchObject({ from: "no-reply@adinsights.test", to: [email], configuration_set: "adinsights-test" });
    expect(mail!.signed_by).toBe("AKIAFAKESESTESTKEY00");
    expect(mail!.text).toContain(inv.body.token);
    expect(mail!.html).toMatch(/^<!doctype html>/);
    expect((await outboxOf(email)).provider_message_id).toBe(mail!.message_id);
  });

  it("different from-domain: the send is skipped with a warning; invite and reset are still created", async () => {
    const adminEmail = uniqueEmail("fadmin");
    const signUp = await foreign("/api/tenants/", { name: "Elsewhere", admin_email: adminEmail, admin_password: PASSWORD });
    expect(signUp.status).toBe(201);
    const login = await foreign("/api/token/", { email: adminEmail, password: PASSWORD });
    const email = uniqueEmail("skipped");
    const inv = await foreign("/api/users/invite/", { email }, login.body.access);
    expect(inv.status).toBe(201);
    expect(await sql`select 1 from invitations where id = ${inv.body.id}`).toHaveLength(1);
    expect(await outboxOf(email)).toMatchObject({ status: "skipped", last_error: "from_domain_mismatch", sealed_link: null });
    expect(await mailTo(email)).toHaveLength(0);
    const log = readFileSync(path.join(path.dirname(inject("serverLog")), "server-foreign-sender.log"), "utf8");
    const warning = log.split("\n").find((l) => l.includes("SES_EXPECTED_FROM_DOMAIN"));
    expect(JSON.parse(warning!)).toMatchObject({ level: "warn", from_domain: "elsewhere.test", expected_domain: "adinsights.test" });
    expect(log).not.toContain(inv.body.token);
    // The invite works without the e-mail.
    expect((await api("/api/users/accept-invite/", { body: { token: inv.body.token, password: PASSWORD } })).status).toBe(201);

    const reset = await foreign("/api/auth/password-reset/", { email });
    expect(reset.status).toBe(202);
    for (let i = 0; i < 50 && (await sql`select status from email_outbox where recipient = ${email} and template = 'password_reset'`)[0]?.status !== "skipped"; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(await sql`select status from email_outbox where recipient = ${email} and template = 'password_reset'`).toEqual([{ status: "skipped" }]);
    expect(await sql`select 1 from password_resets pr join users u on u.id = pr.user_id where u.email = ${email}`).toHaveLength(1);
  });
});

describe("send failures and the worker's retry", () => {
  it("a failed send still answers 201; the row waits, sealed; deliverPendingEmails sends the same link later", async () => {
    const email = uniqueEmail("flaky");
    await failMailTo(email, 2, 500);
    const inv = await api("/api/users/invite/", { token: t.access, body: { email } });
    expect(inv.status).toBe(201);
    expect(await mailTo(email)).toHaveLength(0);
    const row = await outboxOf(email);
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
    expect(row.last_error).toMatch(/HTTP 500/);
    expect(row.sealed_link).toMatch(/^v1\./);
    expect(JSON.stringify(row)).not.toContain(inv.body.token);
    const wait = new Date(row.next_attempt_at).getTime() - Date.now();
    expect(wait).toBeGreaterThan(20_000);
    expect(wait).toBeLessThanOrEqual(30_000);

    // Not due yet: the worker leaves it alone.
    await deliverPendingEmails();
    expect((await outboxOf(email)).attempts).toBe(1);

    await sql`update email_outbox set next_attempt_at = now() where id = ${row.id}`;
    const report = await deliverPendingEmails();
    expect(report.sent).toBeGreaterThanOrEqual(1);
    const [mail] = await waitForMail(email);
    expect(tokenFrom(mail!.text, "/accept-invite")).toBe(inv.body.token);
    expect(await outboxOf(email)).toMatchObject({ status: "sent", attempts: 2, sealed_link: null, last_error: null });
  });

  it(`gives up after ${MAX_EMAIL_ATTEMPTS} attempts and drops the link`, async () => {
    const email = uniqueEmail("dead");
    await failMailTo(email, 100, 500);
    await api("/api/users/invite/", { token: t.access, body: { email } });
    const row = await outboxOf(email);
    await sql`update email_outbox set attempts = ${MAX_EMAIL_ATTEMPTS - 1}, next_attempt_at = now() where id = ${row.id}`;
    await deliverPendingEmails();
    expect(await outboxOf(email)).toMatchObject({ status: "failed", attempts: MAX_EMAIL_ATTEMPTS, sealed_link: null });
  });

  it("does not send a message whose link has expired", async () => {
    const email = uniqueEmail("stale");
    await failMailTo(email, 2, 429);
    await api("/api/users/invite/", { token: t.access, body: { email } });
    const row = await outboxOf(email);
    expect(row.status).toBe("pending");
    await sql`update email_outbox set expires_at = now() - interval '1 second', next_attempt_at = now() where id = ${row.id}`;
    await deliverPendingEmails();
    expect(await outboxOf(email)).toMatchObject({ status: "expired", sealed_link: null });
    expect(await mailTo(email)).toHaveLength(0);
  });
});
