/**
 * Per-user rate limits on signed-in actions that cost something (server/edge/rate-limit/policies.ts):
 * invitation e-mails (invites and resends, one bucket), sync, OAuth start/reconnect, provision.
 * On a server of its own with low limits (the shared one has huge ones): the request after the
 * limit gets the spec's 429 and Retry-After over REST and tRPC alike, because both transports draw
 * on one bucket per user, and another user of the same tenant is not limited.
 *
 * Limits are per hour so a window cannot roll over mid-test (the tests wait if the hour is about
 * to end).
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { api, createTenant, uniqueEmail, type ApiResponse, type TestTenant } from "../support/api";
import { startAppServer, type AppServer } from "../support/app-server";
import { connect, consent, fakeUser, type Caller } from "../support/connectors";
import { memberWithRole, ownerSql } from "../support/team";

const THROTTLED = /^Request was throttled\. Expected available in (\d+) seconds\.$/;
const HOUR = 3_600_000;
const sql = ownerSql();
let server: AppServer;

beforeAll(async () => {
  const base = inject("testEnv");
  server = await startAppServer({
    ...base,
    REDIS_KEY_PREFIX: `${base.REDIS_KEY_PREFIX}-user-throttles-${randomUUID().slice(0, 8)}`,
    USER_THROTTLE_INVITES_BURST: "4/hour",
    USER_THROTTLE_INVITES_SUSTAINED: "1000/day",
    USER_THROTTLE_SYNC: "3/hour",
    USER_THROTTLE_CONNECT: "3/hour",
    USER_THROTTLE_PROVISION: "2/hour",
  });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await sql.end();
});

/** Waits out the last seconds of an hour window so a test's requests land in one window. */
async function awayFromHourEdge(): Promise<void> {
  const left = HOUR - (Date.now() % HOUR);
  if (left < 30_000) await new Promise((r) => setTimeout(r, left + 100));
}

const rest = (path: string, who: { access: string }, body: unknown = {}) => api(path, { base: server.baseUrl, token: who.access, body });
/** A tRPC mutation as a plain HTTP call, to see its status, headers and error body. */
const trpc = (procedure: string, who: { access: string }, input: unknown) => api(`/api/trpc/${procedure}`, { base: server.baseUrl, token: who.access, body: input });
const on = (who: { access: string }): Caller => ({ access: who.access, base: server.baseUrl });

/** The spec's 429 over REST: the DRF body and a Retry-After equal to its N. */
function expectRestThrottled(res: ApiResponse): void {
  expect(res.status, res.text).toBe(429);
  expect(Object.keys(res.body)).toEqual(["detail"]);
  const match = THROTTLED.exec(res.body.detail);
  expect(match, res.text).not.toBeNull();
  const retryAfter = Number(res.headers.get("retry-after"));
  expect(Number(match![1])).toBe(retryAfter);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(3600);
}

/** The same 429 over tRPC: TOO_MANY_REQUESTS with the same message, Retry-After header and data.retryAfter. */
function expectTrpcThrottled(res: ApiResponse): void {
  expect(res.status, res.text).toBe(429);
  expect(res.body.error.data.code).toBe("TOO_MANY_REQUESTS");
  const match = THROTTLED.exec(res.body.error.message);
  expect(match, res.text).not.toBeNull();
  expect(Number(res.headers.get("retry-after"))).toBe(Number(match![1]));
  expect(res.body.error.data.retryAfter).toBe(Number(match![1]));
}

describe("per-user throttles", () => {
  it("invites and resends: one bucket per user across REST paths and tRPC; another admin of the tenant is not limited", async () => {
    await awayFromHourEdge();
    const t = await createTenant(undefined, server.baseUrl);
    const first = await rest("/api/users/invite/", t, { email: uniqueEmail("thr") });
    expect(first.status, first.text).toBe(201);
    expect((await rest(`/api/tenants/${t.id}/invite/`, t, { email: uniqueEmail("thr") })).status).toBe(201);
    const viaTrpc = await trpc("invites.create", t, { email: uniqueEmail("thr"), role: "VIEWER" });
    expect(viaTrpc.status, viaTrpc.text).toBe(200);
    expect((await rest(`/api/tenants/${t.id}/invite/resend/`, t, { invitation_id: first.body.id })).status).toBe(200);

    // The fifth invitation e-mail of the hour, by any path, is refused before anything is written.
    const refused = uniqueEmail("thr-refused");
    expectRestThrottled(await rest("/api/users/invite/", t, { email: refused }));
    expectRestThrottled(await rest("/api/users/invite/resend/", t, { invitation_id: first.body.id }));
    expectTrpcThrottled(await trpc("invites.create", t, { email: refused, role: "VIEWER" }));
    expectTrpcThrottled(await trpc("invites.resend", t, { invitation_id: first.body.id }));
    expect(await sql`select 1 from invitations where email = ${refused}`).toHaveLength(0);
    expect(await sql`select 1 from audit_logs where tenant_id = ${t.id} and action in ('invite_created', 'invite_resent')`).toHaveLength(4);

    const other = await memberWithRole(t, "ADMIN");
    expect((await rest("/api/users/invite/", other, { email: uniqueEmail("thr-other") })).status).toBe(201);
    expect((await trpc("invites.resend", other, { invitation_id: first.body.id })).status).toBe(200);
  });

  it("sync: the REST route and the tRPC procedure share the user's bucket; an analyst of the tenant is not limited", async () => {
    await awayFromHourEdge();
    const t = await createTenant(undefined, server.baseUrl);
    await connect(on(t), "ga4", fakeUser("single-thr"));
    const made = await rest("/api/integrations/ga4/provision/", t, { schedule_type: "manual" });
    expect(made.status, made.text).toBe(201);

    const queued = await rest("/api/integrations/ga4/sync/", t);
    expect(queued.status, queued.text).toBe(202);
    expect((await trpc("connectors.sync", t, { provider: "ga4" })).status).toBe(200);
    // Every request counts, deduplicated or not: each one is work for the API and Airbyte.
    expect((await rest("/api/integrations/ga4/sync/", t)).status).toBe(202);
    expectRestThrottled(await rest("/api/integrations/ga4/sync/", t));
    expectTrpcThrottled(await trpc("connectors.sync", t, { provider: "ga4" }));

    const analyst = await memberWithRole(t, "ANALYST");
    expect((await rest("/api/integrations/ga4/sync/", analyst)).status).toBe(202);
    // Roles are checked before the bucket: a VIEWER is told 403, not 429.
    const viewer = await memberWithRole(t, "VIEWER");
    expect((await rest("/api/integrations/ga4/sync/", viewer)).status).toBe(403);
  });

  it("oauth/start and reconnect are one bucket with tRPC's start; provision has its own", async () => {
    await awayFromHourEdge();
    const t = await createTenant(undefined, server.baseUrl);
    expect((await rest("/api/integrations/google_ads/oauth/start/", t)).status).toBe(200);
    expect((await rest("/api/integrations/ga4/reconnect/", t)).status).toBe(200);
    const started = await trpc("connectors.start", t, { provider: "google_ads" });
    expect(started.status, started.text).toBe(200);
    expectRestThrottled(await rest("/api/integrations/google_ads/reconnect/", t));
    expectTrpcThrottled(await trpc("connectors.start", t, { provider: "ga4" }));

    // The state issued before the limit still completes: the callback is not throttled.
    const back = await consent(started.body.result.data.authorize_url, fakeUser("thr-gads"));
    const done = await rest("/api/integrations/google_ads/oauth/callback/", t, { code: back.get("code"), state: back.get("state"), external_account_id: "1112223333" });
    expect(done.status, done.text).toBe(200);
    expect((await rest("/api/integrations/google_ads/provision/", t)).status).toBe(201);
    expect((await trpc("connectors.provision", t, { provider: "google_ads" })).status).toBe(200);
    expectRestThrottled(await rest("/api/integrations/google_ads/provision/", t));
    expectTrpcThrottled(await trpc("connectors.provision", t, { provider: "google_ads" }));

    const other: TestTenant = { ...t, ...(await memberWithRole(t, "ADMIN")) };
    expect((await rest("/api/integrations/google_ads/reconnect/", other)).status).toBe(200);
    expect((await trpc("connectors.provision", other, { provider: "google_ads" })).status).toBe(200);
  });
});
