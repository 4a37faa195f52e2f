/**
 * Webhooks (spec health.md): ADMIN-only management, the secret shown once, signed deliveries
 * retried with backoff (a receiver that fails three times then succeeds: delivered once, four
 * attempts logged), redelivery, rotation, redirects as failures, disabling after days of
 * failures (with an e-mail), and tenant isolation of endpoints and deliveries.
 */
import { afterAll, describe, expect, it } from "vitest";
import { api, createTenant, type TestTenant } from "../support/api";
import { connect, fakeUser, provision, until, type Slug } from "../support/connectors";
import { jobOutcome, mailWithSubject, startReceiver, syncTo } from "../support/health";
import { memberWithRole } from "../support/team";
import { verifySignature } from "../../server/services/health/webhooks/signature";

const receivers: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const r of receivers) await r.close();
});

async function receiver(status?: (n: number) => number) {
  const r = await startReceiver(status);
  receivers.push(r);
  return r;
}

/** A provisioned connector whose next sync ends `outcome`; returns a function that runs one sync (one event). */
async function connectorFor(t: TestTenant, provider: Slug = "ga4") {
  await connect(t, provider, fakeUser("single-hook"));
  const made = await provision(t, provider);
  await jobOutcome(made.body.connection.connection_id, "succeeded");
  return () => syncTo(t, provider, "succeeded");
}

const create = (t: TestTenant, body: Record<string, unknown>) => api("/api/webhooks/", { token: t.access, body });
const deliveries = async (t: TestTenant, id: string) => (await api(`/api/webhooks/${id}/deliveries/`, { token: t.access })).body as any[];

describe("webhook management", () => {
  it("is ADMIN-only: ANALYST and VIEWER 403, anonymous 401, on every route", async () => {
    const t = await createTenant();
    const made = await create(t, { url: "http://127.0.0.1:9/x" });
    const id = made.body.id;
    const zero = "00000000-0000-4000-8000-000000000000";
    const routes: [string, string, unknown?][] = [
      ["GET", "/api/webhooks/"],
      ["POST", "/api/webhooks/", { url: "http://127.0.0.1:9/y" }],
      ["PATCH", `/api/webhooks/${id}/`, { is_active: false }],
      ["DELETE", `/api/webhooks/${id}/`],
      ["POST", `/api/webhooks/${id}/rotate-secret/`, {}],
      ["GET", `/api/webhooks/${id}/deliveries/`],
      ["POST", `/api/webhooks/${id}/deliveries/${zero}/redeliver/`, {}],
    ];
    for (const role of ["ANALYST", "VIEWER"] as const) {
      const member = await memberWithRole(t, role);
      for (const [method, path, body] of routes) expect((await api(path, { method, token: member.access, body })).status, `${role} ${method} ${path}`).toBe(403);
    }
    for (const [method, path, body] of routes) expect((await api(path, { method, body })).status, `anonymous ${method} ${path}`).toBe(401);
    expect((await api("/api/trpc/webhooks.list", { token: (await memberWithRole(t, "ANALYST")).access })).status).toBe(403);
  });

  it("creates with a whsec_ secret shown once; lists, patches, rotates and deletes; validates url and events", async () => {
    const t = await createTenant();
    const made = await create(t, { url: "http://127.0.0.1:9/hooks", events: ["sync.failed", "connection.paused"] });
    expect(made.status, made.text).toBe(201);
    expect(made.body.secret).toMatch(/^whsec_[A-Za-z0-9_-]{40,}$/);
    expect(made.body).toMatchObject({ url: "http://127.0.0.1:9/hooks", events: ["sync.failed", "connection.paused"], is_active: true, disabled_reason: null });
    const listed = await api("/api/webhooks/", { token: t.access });
    expect(listed.body).toHaveLength(1);
    expect(Object.keys(listed.body[0]).sort()).toEqual(["created_at", "disabled_reason", "events", "id", "is_active", "updated_at", "url"]);
    expect(listed.text).not.toContain("whsec_");

    const patched = await api(`/api/webhooks/${made.body.id}/`, { method: "PATCH", token: t.access, body: { events: [], is_active: false } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ events: [], is_active: false });
    const rotated = await api(`/api/webhooks/${made.body.id}/rotate-secret/`, { token: t.access, body: {} });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(made.body.secret);

    const badEvent = await create(t, { url: "http://127.0.0.1:9/x", events: ["x"] });
    expect(badEvent.status).toBe(400);
    expect(badEvent.body).toEqual({ events: ['"x" is not a valid choice.'] });
    const badUrl = await create(t, { url: "ftp://example.test/x" });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body).toEqual({ url: ["The URL must use https://."] });
    expect((await create(t, { events: [] })).body).toEqual({ url: ["This field is required."] });

    expect((await api(`/api/webhooks/${made.body.id}/`, { method: "DELETE", token: t.access })).status).toBe(204);
    expect((await api(`/api/webhooks/${made.body.id}/`, { method: "DELETE", token: t.access })).status).toBe(404);
    expect((await api("/api/webhooks/not-a-uuid/", { method: "DELETE", token: t.access })).status).toBe(404);
  });
});

describe("webhook delivery", () => {
  it("signs each attempt, retries with backoff (3 failures, then 2xx: delivered once, 4 attempts logged), then redelivers", async () => {
    const t = await createTenant();
    const r = await receiver((n) => (n < 3 ? 500 : 200));
    const made = await create(t, { url: r.url, events: ["sync.succeeded"] });
    const other = await create(t, { url: r.url, events: ["connection.paused"] });
    const sync = await connectorFor(t);
    const job = await sync();

    const [delivery] = await until(() => deliveries(t, made.body.id), (d) => d[0]?.status === "succeeded");
    expect(delivery).toMatchObject({ event_type: "sync.succeeded", status: "succeeded", attempts: 4, last_status_code: 200, last_error: null, next_attempt_at: null });
    expect(delivery.delivered_at).not.toBeNull();
    expect(r.received).toHaveLength(4);
    for (const request of r.received) {
      expect(request.headers["content-type"]).toBe("application/json");
      expect(request.headers["x-adinsights-event"]).toBe("sync.succeeded");
      expect(request.headers["x-adinsights-delivery"]).toBe(delivery.id);
      expect(verifySignature(made.body.secret, request.body, String(request.headers["x-adinsights-signature"]))).toBe(true);
      expect(verifySignature(made.body.secret, request.body + " ", String(request.headers["x-adinsights-signature"]))).toBe(false);
    }
    // Exponential backoff: each wait at least as long as the one before (base 200 ms in tests).
    const gaps = r.received.slice(1).map((q, i) => q.at - r.received[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(150);
    expect(gaps[2]).toBeGreaterThan(gaps[0]!);
    const body = JSON.parse(r.received[3]!.body);
    expect(Object.keys(body)).toEqual(["id", "type", "created_at", "tenant_id", "data"]);
    expect(body).toMatchObject({ id: delivery.event_id, type: "sync.succeeded", tenant_id: t.id, data: { provider: "ga4", job_id: job.job_id, records_synced: 1234 } });
    expect(await deliveries(t, other.body.id)).toEqual([]);

    const again = await api(`/api/webhooks/${made.body.id}/deliveries/${delivery.id}/redeliver/`, { token: t.access, body: {} });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ event_id: delivery.event_id, status: "pending", attempts: 0 });
    const log = await until(() => deliveries(t, made.body.id), (d) => d.length === 2 && d[0].status === "succeeded");
    expect(log.map((d) => [d.id, d.attempts])).toEqual([
      [again.body.id, 1],
      [delivery.id, 4],
    ]);
    expect(r.received).toHaveLength(5);
    expect(r.received[4]!.headers["x-adinsights-delivery"]).toBe(again.body.id);
    expect(JSON.parse(r.received[4]!.body).id).toBe(delivery.event_id);

    // A rotated secret signs the next attempt; the old one no longer verifies.
    const rotated = await api(`/api/webhooks/${made.body.id}/rotate-secret/`, { token: t.access, body: {} });
    await api(`/api/webhooks/${made.body.id}/deliveries/${delivery.id}/redeliver/`, { token: t.access, body: {} });
    await until(async () => r.received.length, (n) => n === 6);
    const last = r.received[5]!;
    expect(verifySignature(rotated.body.secret, last.body, String(last.headers["x-adinsights-signature"]))).toBe(true);
    expect(verifySignature(made.body.secret, last.body, String(last.headers["x-adinsights-signature"]))).toBe(false);
  });

  it("a redirect is a failure and is not followed", async () => {
    const t = await createTenant();
    const r = await receiver(() => 302);
    const made = await create(t, { url: r.url, events: ["sync.succeeded"] });
    await (await connectorFor(t, "facebook_pages"))();
    const [delivery] = await until(() => deliveries(t, made.body.id), (d) => d[0]?.attempts >= 2);
    expect(delivery).toMatchObject({ last_status_code: 302, last_error: "Redirect (302) not followed." });
    expect(r.received.every((q) => q.headers["x-adinsights-delivery"] === delivery.id)).toBe(true);
  });

  it("an endpoint failing every delivery for WEBHOOK_DISABLE_AFTER_DAYS is disabled, its deliveries failed, its admins e-mailed once", async () => {
    const t = await createTenant();
    const r = await receiver(() => 503);
    const made = await create(t, { url: r.url });
    await (await connectorFor(t, "search_console"))();
    const [endpoint] = await until(async () => (await api("/api/webhooks/", { token: t.access })).body as any[], (e) => e[0]?.is_active === false, 40_000);
    expect(endpoint.disabled_reason).toMatch(/^Every delivery failed since /);
    const log = await deliveries(t, made.body.id);
    expect(log.length).toBeGreaterThan(0);
    expect(log.every((d) => d.status === "failed")).toBe(true);
    const mail = await until(() => mailWithSubject(t, /webhook endpoint was disabled/), (m) => m.length > 0);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.text).toContain(r.url);
    const redeliver = await api(`/api/webhooks/${made.body.id}/deliveries/${log[0].id}/redeliver/`, { token: t.access, body: {} });
    expect(redeliver.status).toBe(400);
    // Turning it back on clears the reason.
    const on = await api(`/api/webhooks/${made.body.id}/`, { method: "PATCH", token: t.access, body: { is_active: true } });
    expect(on.body).toMatchObject({ is_active: true, disabled_reason: null });
  });
});

describe("webhook tenant isolation", () => {
  it("another tenant's endpoint or delivery id → 404 everywhere; lists show only one's own", async () => {
    const a = await createTenant();
    const b = await createTenant();
    const r = await receiver();
    const made = await create(a, { url: r.url, events: ["sync.succeeded"] });
    await (await connectorFor(a, "meta_ads"))();
    const [delivery] = await until(() => deliveries(a, made.body.id), (d) => d[0]?.status === "succeeded");
    const id = made.body.id;
    expect((await api(`/api/webhooks/${id}/`, { method: "PATCH", token: b.access, body: { is_active: false } })).status).toBe(404);
    expect((await api(`/api/webhooks/${id}/`, { method: "DELETE", token: b.access })).status).toBe(404);
    expect((await api(`/api/webhooks/${id}/rotate-secret/`, { token: b.access, body: {} })).status).toBe(404);
    expect((await api(`/api/webhooks/${id}/deliveries/`, { token: b.access })).status).toBe(404);
    expect((await api(`/api/webhooks/${id}/deliveries/${delivery.id}/redeliver/`, { token: b.access, body: {} })).status).toBe(404);
    // B's own endpoint cannot reach A's delivery either.
    const own = await create(b, { url: r.url });
    expect((await api(`/api/webhooks/${own.body.id}/deliveries/${delivery.id}/redeliver/`, { token: b.access, body: {} })).status).toBe(404);
    expect((await api("/api/webhooks/", { token: b.access })).body.map((e: any) => e.id)).toEqual([own.body.id]);
    expect((await api(`/api/webhooks/${id}/`, { method: "PATCH", token: a.access, body: { events: ["sync.failed"] } })).status).toBe(200);
  });
});
