/**
 * SSRF refusals with WEBHOOKS_ALLOW_PRIVATE off (production's setting): at registration (an app of
 * its own with that setting → 400 {"url": […]}) and at delivery time (the same check runs again
 * before every attempt, so a name that later resolves inward is refused too). No request leaves
 * for a refused destination: the checks run before any socket is opened.
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { api, createTenant } from "../support/api";
import { startAppServer, type AppServer } from "../support/app-server";
import { releaseAppEnv, useAppEnv } from "../support/app-env";
import { startReceiver } from "../support/health";
import { ARTIFACTS } from "../support/stack";
import { attemptDelivery } from "../../server/services/health/webhooks/deliveries";

let strict: AppServer;
let owner: postgres.Sql;

beforeAll(async () => {
  strict = await startAppServer({ ...inject("testEnv"), WEBHOOKS_ALLOW_PRIVATE: "false" }, { logFile: path.join(ARTIFACTS, "strict-webhooks-app.log") });
  owner = postgres(inject("ownerDatabaseUrl"), { max: 2, onnotice: () => {} });
});
afterAll(async () => {
  await strict?.stop();
  await owner?.end();
  await releaseAppEnv();
});

describe("webhook destinations in production mode", () => {
  it.each([
    ["https://127.0.0.1/hook", "The URL points to a private, loopback or link-local address."],
    ["https://10.20.30.40/hook", "The URL points to a private, loopback or link-local address."],
    ["https://172.16.5.4/hook", "The URL points to a private, loopback or link-local address."],
    ["https://192.168.0.10/hook", "The URL points to a private, loopback or link-local address."],
    ["https://169.254.169.254/latest/meta-data/", "The URL points to a private, loopback or link-local address."],
    ["https://[::1]/hook", "The URL points to a private, loopback or link-local address."],
    ["https://[fd00::5]/hook", "The URL points to a private, loopback or link-local address."],
    // A name: resolved by the app, and it resolves to loopback.
    ["https://localhost/hook", "The URL points to a private, loopback or link-local address."],
    ["http://93.184.216.34/hook", "The URL must use https://."],
  ])("registration of %s → 400", async (url, message) => {
    const t = await createTenant();
    const res = await api("/api/webhooks/", { base: strict.baseUrl, token: t.access, body: { url } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ url: [message] });
    // A PATCH to such a URL is refused the same way.
  });

  it("a delivery to a name that resolves to loopback is refused at delivery time, and nothing is sent", async () => {
    const t = await createTenant();
    const r = await startReceiver();
    try {
      // Registered while private destinations were allowed (the shared app), then delivered by a
      // worker that refuses them: `localhost` resolves to the receiver's loopback address.
      const url = r.url.replace("127.0.0.1", "localhost");
      const made = await api("/api/webhooks/", { token: t.access, body: { url } });
      expect(made.status, made.text).toBe(201);
      const eventId = randomUUID();
      const deliveryId = randomUUID();
      await owner`insert into connection_events (id, tenant_id, type, provider, data) values (${eventId}, ${t.id}, 'sync.failed', 'ga4', ${owner.json({ provider: "ga4" })})`;
      // next_attempt_at in the near future: the shared worker's sweep (30 s overdue) leaves it alone.
      await owner`insert into webhook_deliveries (id, tenant_id, endpoint_id, event_id, event_type, give_up_at)
                  values (${deliveryId}, ${t.id}, ${made.body.id}, ${eventId}, 'sync.failed', now() + interval '1 day')`;
      useAppEnv({ WEBHOOKS_ALLOW_PRIVATE: "false" });
      expect(await attemptDelivery(t.id, deliveryId)).toBe("retry");
      const [row] = await owner`select status, attempts, last_error, last_status_code from webhook_deliveries where id = ${deliveryId}`;
      expect(row).toMatchObject({ status: "pending", attempts: 1, last_status_code: null });
      expect(row!.last_error).toBe("The URL must use https://.");
      // Same with https: the name is resolved and refused before any connection.
      await owner`update webhook_endpoints set url = ${url.replace("http://", "https://")} where id = ${made.body.id}`;
      await owner`update webhook_deliveries set next_attempt_at = now() where id = ${deliveryId}`;
      expect(await attemptDelivery(t.id, deliveryId)).toBe("retry");
      const [again] = await owner`select last_error from webhook_deliveries where id = ${deliveryId}`;
      expect(again!.last_error).toBe("The URL points to a private, loopback or link-local address.");
      expect(r.received).toHaveLength(0);
    } finally {
      await r.close();
    }
  });
});
