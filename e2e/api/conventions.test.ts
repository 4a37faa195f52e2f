/** spec/api.md conventions: paths, methods, bodies, errors, request ids. */
import { describe, expect, it } from "vitest";
import { api, createTenant } from "../support/api";

describe("paths and methods", () => {
  it("answers a path without the trailing slash the same as with it", async () => {
    const t = await createTenant();
    const withSlash = await api("/api/me/", { token: t.access });
    const without = await api("/api/me", { token: t.access });
    expect(without.status).toBe(200);
    expect(without.body).toEqual(withSlash.body);
  });

  it("404s unknown /api/ paths as JSON, for every method", async () => {
    for (const method of ["GET", "POST", "DELETE"]) {
      const res = await api("/api/does/not/exist/", { method });
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect(res.body).toEqual({ detail: "Not found." });
    }
  });

  it("405s a known path with a wrong method, with Allow", async () => {
    const res = await api("/api/health/", { method: "DELETE" });
    expect(res.status).toBe(405);
    expect(res.body).toEqual({ detail: 'Method "DELETE" not allowed.' });
    expect(res.headers.get("allow")).toBe("GET, OPTIONS");
    const get = await api("/api/token/");
    expect(get.body).toEqual({ detail: 'Method "GET" not allowed.' });
  });
});

describe("request bodies", () => {
  it("415s another content type", async () => {
    const res = await api("/api/token/", { method: "POST", raw: "email=a&password=b", headers: { "content-type": "text/plain" } });
    expect(res.status).toBe(415);
    expect(res.body).toEqual({ detail: 'Unsupported media type "text/plain" in request.' });
  });

  it("400s malformed JSON with a short reason", async () => {
    const res = await api("/api/token/", { method: "POST", raw: '{"email": ', headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/^JSON parse error - /);
    expect(res.text).not.toMatch(/at \w+ \(|node_modules/);
  });

  it("413s bodies over 1 MiB", async () => {
    const big = JSON.stringify({ email: "a@b.co", password: "x".repeat(1024 * 1024) });
    const res = await api("/api/token/", { method: "POST", raw: big, headers: { "content-type": "application/json" } });
    expect(res.status).toBe(413);
    expect(res.body).toHaveProperty("detail");
  });

  it("handles unicode, SQL and HTML payloads as plain data", async () => {
    const t = await createTenant();
    const res = await api("/api/users/", {
      token: t.access,
      body: { email: `o'brien+${Date.now()}@example.test`, password: "pässwörd-✓-ok", first_name: "Robert'); DROP TABLE users;--", last_name: "<script>alert(1)</script> 👩🏽‍💻" },
    });
    expect(res.status).toBe(201);
    expect(res.body.first_name).toBe("Robert'); DROP TABLE users;--");
    expect(res.body.last_name).toBe("<script>alert(1)</script> 👩🏽‍💻");
    expect(res.headers.get("content-type")).toContain("application/json");
  });
});

describe("request ids", () => {
  it("returns the caller's X-Request-Id or a fresh one", async () => {
    const given = await api("/api/health/", { headers: { "x-request-id": "trace-abc-123" } });
    expect(given.headers.get("x-request-id")).toBe("trace-abc-123");
    const fresh = await api("/api/health/");
    expect(fresh.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const hostile = await api("/api/health/", { headers: { "x-request-id": "bad id\twith spaces" } });
    expect(hostile.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});
