/**
 * Rate limits (spec/accounts.md "Rate limits") on servers of their own with low limits, so the
 * shared server (huge limits) is unaffected. Three instances of the production build:
 *   burst     — real Redis, AUTH_BURST 5/min, PUBLIC 4/min, one trusted proxy (clients told apart by X-Forwarded-For)
 *   sustained — real Redis, AUTH_SUSTAINED 3/hour, no proxy (clients told apart by socket address)
 *   fallback  — Redis unreachable, AUTH_BURST 3/min: limited in memory, error logged, never a 500
 *   upstash   — UPSTASH_REDIS_REST_* set (a fake of its REST API over the real Redis), AUTH_BURST 5/min
 */
import { request } from "node:http";
import { createServer } from "node:net";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { api, type ApiResponse } from "../support/api";
import { startAppServer, type AppServer } from "../support/app-server";
import { startFakeUpstash, type FakeUpstash } from "../fakes/upstash";
import { freePort } from "../support/net";

const THROTTLED = /^Request was throttled\. Expected available in (\d+) seconds\.$/;
const AUTH_ROUTES = [
  "/api/token/",
  "/api/auth/login/",
  "/api/token/refresh/",
  "/api/auth/password-reset/",
  "/api/auth/password-reset/confirm/",
  "/api/tenants/",
  "/api/users/accept-invite/",
];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/**
 * A documentation-range address no other test of this file uses (the tests run concurrently and
 * share the servers' buckets, so a random pick could land on a client another test throttled).
 */
let clients = 0;
const clientAddress = () => {
  clients++;
  return `198.51.${100 + Math.floor(clients / 250)}.${(clients % 250) + 1}`;
};

let burst: AppServer;
let sustained: AppServer;
let fallback: AppServer;
let upstash: AppServer;
let upstashApi: FakeUpstash;

beforeAll(async () => {
  const base = inject("testEnv");
  const prefix = `${base.REDIS_KEY_PREFIX}-${randomUUID().slice(0, 8)}`;
  // A port nothing listens on: Redis is "down" for the fallback server.
  const deadRedis = `redis://127.0.0.1:${await freePort()}`;
  upstashApi = await startFakeUpstash(base.REDIS_URL!);
  [burst, sustained, fallback, upstash] = await Promise.all([
    startAppServer({
      ...base,
      REDIS_KEY_PREFIX: `${prefix}-burst`,
      DRF_THROTTLE_AUTH_BURST: "5/min",
      DRF_THROTTLE_AUTH_SUSTAINED: "1000000/day",
      DRF_THROTTLE_PUBLIC: "4/min",
      TRUSTED_PROXY_COUNT: "1",
    }),
    startAppServer({
      ...base,
      REDIS_KEY_PREFIX: `${prefix}-sustained`,
      DRF_THROTTLE_AUTH_BURST: "1000000/min",
      DRF_THROTTLE_AUTH_SUSTAINED: "3/hour",
      TRUSTED_PROXY_COUNT: "0",
    }),
    startAppServer({
      ...base,
      REDIS_URL: deadRedis,
      REDIS_KEY_PREFIX: `${prefix}-fallback`,
      DRF_THROTTLE_AUTH_BURST: "3/min",
      DRF_THROTTLE_AUTH_SUSTAINED: "1000000/day",
    }),
    startAppServer({
      ...base,
      // Counting must go through Upstash: the ioredis connection leads nowhere.
      REDIS_URL: deadRedis,
      UPSTASH_REDIS_REST_URL: upstashApi.url,
      UPSTASH_REDIS_REST_TOKEN: upstashApi.token,
      REDIS_KEY_PREFIX: `${prefix}-upstash`,
      DRF_THROTTLE_AUTH_BURST: "5/min",
      DRF_THROTTLE_AUTH_SUSTAINED: "1000000/day",
      TRUSTED_PROXY_COUNT: "1",
    }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.all([burst?.stop(), sustained?.stop(), fallback?.stop(), upstash?.stop()]);
  await upstashApi?.close();
});

/** A throttled POST as client `ip` behind the one trusted proxy (which appends the client address). */
const post = (server: AppServer, path: string, ip: string, body: unknown = {}) =>
  api(path, { base: server.baseUrl, body, headers: { "x-forwarded-for": ip } });

/** Waits out the end of a minute window so a burst of requests lands in one window. */
async function awayFromMinuteEdge(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 3000) await sleep(left + 100);
}

function expectThrottled(res: ApiResponse): number {
  expect(res.status).toBe(429);
  const match = THROTTLED.exec(res.body?.detail ?? "");
  expect(match, res.text).not.toBeNull();
  const retryAfter = Number(res.headers.get("retry-after"));
  expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
  expect(Number(match![1])).toBe(retryAfter);
  return retryAfter;
}

describe("burst limit (real Redis)", () => {
  test.concurrent("N parallel requests against a limit of L allow exactly L", async () => {
    await awayFromMinuteEdge();
    const ip = clientAddress();
    const answers = await Promise.all(Array.from({ length: 40 }, () => post(burst, "/api/token/", ip)));
    const passed = answers.filter((r) => r.status !== 429);
    expect(passed).toHaveLength(5);
    for (const r of passed) expect(r.status).toBe(400); // reached validation: the body was empty
    for (const r of answers.filter((r) => r.status === 429)) expect(expectThrottled(r)).toBeLessThanOrEqual(60);
  });

  test.concurrent("one bucket per client across all throttled routes", async () => {
    await awayFromMinuteEdge();
    const ip = clientAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await post(burst, AUTH_ROUTES[i % AUTH_ROUTES.length]!, ip)).status);
    expect(statuses.slice(0, 5).every((s) => s !== 429)).toBe(true);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // Another client is not affected, and neither are authenticated routes.
    expect((await post(burst, "/api/token/", clientAddress())).status).toBe(400);
    expect((await api("/api/me/", { base: burst.baseUrl, headers: { "x-forwarded-for": ip } })).status).toBe(401);
  });

  test.concurrent("tRPC's public mutations share the REST bucket", async () => {
    await awayFromMinuteEdge();
    const ip = clientAddress();
    const trpcSignUp = () =>
      api("/api/trpc/tenants.signUp", { base: burst.baseUrl, body: {}, headers: { "x-forwarded-for": ip } });
    for (let i = 0; i < 4; i++) expect((await post(burst, "/api/tenants/", ip)).status).toBe(400);
    expect((await trpcSignUp()).status).toBe(400); // the 5th request of the window, over tRPC
    expectThrottled(await post(burst, "/api/tenants/", ip));
    const denied = await trpcSignUp();
    expect(denied.status).toBe(429);
    expect(denied.body.error.data.code).toBe("TOO_MANY_REQUESTS");
    expect(denied.body.error.data.retryAfter).toBeGreaterThan(0);
  });

  test.concurrent("only the address the trusted proxy appended counts, not what the client wrote", async () => {
    await awayFromMinuteEdge();
    const ip = clientAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const forged = `203.0.113.${i + 1}, ${ip}`; // the client's own X-Forwarded-For, then the proxy's entry
      statuses.push((await post(burst, "/api/token/", forged)).status);
    }
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
  });

  test.concurrent("Retry-After matches when requests succeed again", async () => {
    await awayFromMinuteEdge();
    const ip = clientAddress();
    for (let i = 0; i < 5; i++) await post(burst, "/api/auth/login/", ip);
    const denied = await post(burst, "/api/auth/login/", ip);
    const deniedAt = Date.now();
    const retryAfter = expectThrottled(denied);
    if (retryAfter >= 2) {
      await sleep(Math.max(0, deniedAt + (retryAfter - 1) * 1000 - 300 - Date.now()));
      expect((await post(burst, "/api/auth/login/", ip)).status).toBe(429);
    }
    await sleep(Math.max(0, deniedAt + retryAfter * 1000 + 300 - Date.now()));
    expect((await post(burst, "/api/auth/login/", ip)).status).toBe(400);
  }, 75_000);

  test.concurrent("public routes share DRF_THROTTLE_PUBLIC per client", async () => {
    await awayFromMinuteEdge();
    const ip = clientAddress();
    const paths = ["/api/health/", "/api/timezone/", "/api/health/version/", "/api/health/"];
    for (const path of paths) expect((await api(path, { base: burst.baseUrl, headers: { "x-forwarded-for": ip } })).status).toBe(200);
    expectThrottled(await api("/api/timezone/", { base: burst.baseUrl, headers: { "x-forwarded-for": ip } }));
    // The auth scope is a separate bucket.
    expect((await post(burst, "/api/token/", ip)).status).toBe(400);
  });
});

/** A request from a chosen local source address (127.0.0.0/8 is all loopback on Linux). */
function postFrom(server: AppServer, localAddress: string, headers: Record<string, string> = {}) {
  const url = new URL("/api/token/", server.baseUrl);
  return new Promise<{ status: number; retryAfter: string | undefined }>((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: "POST", localAddress, headers: { "content-type": "application/json", ...headers } },
      (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, retryAfter: res.headers["retry-after"] as string | undefined }));
      },
    );
    req.on("error", reject);
    req.end("{}");
  });
}

async function loopbackAliasWorks(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(0, address, () => probe.close(() => resolve(true)));
  });
}

describe("sustained limit and socket addresses (real Redis, no proxy)", () => {
  test("the socket address is the client: X-Forwarded-For cannot pick a bucket", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await postFrom(sustained, "127.0.0.1", { "x-forwarded-for": `192.0.2.${i + 1}` })).status);
    expect(statuses).toEqual([400, 400, 400, 429, 429]);
    const denied = await postFrom(sustained, "127.0.0.1");
    expect(denied.status).toBe(429);
    // Sustained window is the hour: available again at the top of the next hour.
    const untilHour = Math.ceil((3_600_000 - (Date.now() % 3_600_000)) / 1000);
    expect(Math.abs(Number(denied.retryAfter) - untilHour)).toBeLessThanOrEqual(2);
  });

  test("another socket address has its own bucket", async () => {
    if (!(await loopbackAliasWorks("127.0.0.2"))) return; // not Linux-style loopback: nothing to show
    expect((await postFrom(sustained, "127.0.0.2")).status).toBe(400);
  });
});

describe("Redis unreachable", () => {
  test("limits hold in process memory, an error is logged, nothing answers 500", async () => {
    await awayFromMinuteEdge();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await api(AUTH_ROUTES[i % AUTH_ROUTES.length]!, { base: fallback.baseUrl, body: {} });
      statuses.push(res.status);
      if (res.status === 429) expectThrottled(res);
    }
    expect(statuses).toEqual([400, 400, 400, 429, 429, 429]);
    expect((await api("/api/health/", { base: fallback.baseUrl })).status).toBe(200);
    const errors = fallback
      .output()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { level: string; msg: string });
    expect(errors.some((l) => l.level === "error" && l.msg.includes("redis unreachable"))).toBe(true);
  });
});

describe("Upstash REST backend", () => {
  test("N parallel requests against a limit of L allow exactly L, counted through Upstash", async () => {
    await awayFromMinuteEdge();
    const before = upstashApi.commands();
    const ip = clientAddress();
    const answers = await Promise.all(Array.from({ length: 25 }, () => post(upstash, "/api/auth/login/", ip)));
    expect(answers.filter((r) => r.status !== 429)).toHaveLength(5);
    for (const r of answers.filter((r) => r.status === 429)) expectThrottled(r);
    expect(upstashApi.commands() - before).toBeGreaterThan(0);
  });
});

test("the Redis- and Upstash-backed servers never fell back to memory", () => {
  for (const server of [burst, sustained, upstash]) expect(server.output()).not.toContain("redis unreachable");
});
