/**
 * Request logs never carry secrets: a login (password, tokens), an OAuth-like callback query
 * (?code=…&state=…), and failed requests with an Authorization header and cookies. The shared
 * server's log is captured; every secret used here is unique to this test.
 */
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { expect, inject, test } from "vitest";
import { api, createTenant, PASSWORD } from "../support/api";

interface LogLine {
  msg: string;
  request_id?: string;
  path?: string;
  [key: string]: unknown;
}

/** The server's log lines for the given request ids (waits for them to be flushed). */
async function linesFor(ids: string[]): Promise<{ all: string; mine: LogLine[] }> {
  for (let attempt = 0; ; attempt++) {
    const all = readFileSync(inject("serverLog"), "utf8");
    const mine = all
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as LogLine)
      .filter((l) => l.request_id && ids.includes(l.request_id));
    if (ids.every((id) => mine.some((l) => l.request_id === id)) || attempt > 50) return { all, mine };
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("logins, OAuth-like queries and failures leave no secret in the log", async () => {
  const tenant = await createTenant();
  const code = `code-${randomUUID()}`;
  const state = `state-${randomUUID()}`;
  const bogusToken = `bogus-${randomUUID()}`;
  const cookie = `sessionid=${randomUUID()}`;
  const wrongPassword = `wrong-${randomUUID()}`;
  const ids = Array.from({ length: 5 }, () => randomUUID());

  const login = await api("/api/auth/login/", {
    body: { email: tenant.adminEmail, password: PASSWORD },
    headers: { "x-request-id": ids[0]! },
  });
  expect(login.status).toBe(200);
  const oauth = await api(`/api/health/?code=${code}&state=${state}&scope=ads_read`, { headers: { "x-request-id": ids[1]! } });
  expect(oauth.status).toBe(200);
  const unauthorized = await api("/api/me/", { token: bogusToken, headers: { "x-request-id": ids[2]!, cookie } });
  expect(unauthorized.status).toBe(401);
  const failedLogin = await api("/api/token/", {
    body: { email: tenant.adminEmail, password: wrongPassword },
    headers: { "x-request-id": ids[3]! },
  });
  expect(failedLogin.status).toBe(401);
  const refreshed = await api("/api/token/refresh/", { body: { refresh: login.body.refresh }, headers: { "x-request-id": ids[4]! } });
  expect(refreshed.status).toBe(200);

  const { all, mine } = await linesFor(ids);
  // One request line each, with the returned request id.
  for (const id of ids) expect(mine.filter((l) => l.msg === "request" && l.request_id === id)).toHaveLength(1);
  expect(login.headers.get("x-request-id")).toBe(ids[0]);

  const secrets = [
    PASSWORD,
    wrongPassword,
    code,
    state,
    bogusToken,
    cookie,
    login.body.access,
    login.body.refresh,
    refreshed.body.access,
    refreshed.body.refresh,
  ];
  for (const secret of secrets) expect(all.includes(secret), `log contains a secret (${secret.slice(0, 12)}…)`).toBe(false);

  // The callback's path is still useful: parameter names kept, secret values replaced.
  const callback = mine.find((l) => l.request_id === ids[1] && l.msg === "request")!;
  expect(callback.path).toBe("/api/health/?code=%5Bredacted%5D&state=%5Bredacted%5D&scope=ads_read");
  const me = mine.find((l) => l.request_id === ids[2] && l.msg === "request")!;
  expect(me).toMatchObject({ method: "GET", path: "/api/me/", status: 401, user_id: null });
  const ok = mine.find((l) => l.request_id === ids[0] && l.msg === "request")!;
  expect(ok).toMatchObject({ method: "POST", path: "/api/auth/login/", status: 200 });
  expect(typeof ok.duration_ms).toBe("number");
});

test("a request id is generated when the client sends none (or an unusable one)", async () => {
  const none = await api("/api/health/");
  expect(none.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  const hostile = await api("/api/health/", { headers: { "x-request-id": "a b\"<script>" } });
  expect(hostile.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
});
