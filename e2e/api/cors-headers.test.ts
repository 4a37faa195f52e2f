/**
 * CORS (spec/accounts.md "CORS") and the security headers every response carries. The shared
 * server allows https://app.example.test and http://localhost:5173 (CORS_ALLOWED_ORIGINS) plus
 * the origin of FRONTEND_BASE_URL, with credentials.
 */
import { describe, expect, test } from "vitest";
import { api, baseUrl } from "../support/api";

const ALLOWED = "https://app.example.test";

describe("CORS", () => {
  test("an allowed origin gets its origin back, credentials and Vary: Origin — on errors too", async () => {
    for (const [path, status] of [
      ["/api/health/", 200],
      ["/api/me/", 401],
      ["/api/nowhere/", 404],
    ] as const) {
      const res = await api(path, { headers: { origin: ALLOWED } });
      expect(res.status).toBe(status);
      expect(res.headers.get("access-control-allow-origin")).toBe(ALLOWED);
      expect(res.headers.get("access-control-allow-credentials")).toBe("true");
      expect(res.headers.get("vary") ?? "").toMatch(/\bOrigin\b/);
      expect(res.headers.get("access-control-expose-headers")).toContain("x-request-id");
    }
  });

  test("the origin of FRONTEND_BASE_URL is always allowed", async () => {
    const origin = new URL(baseUrl()).origin;
    const res = await api("/api/health/", { headers: { origin } });
    expect(res.headers.get("access-control-allow-origin")).toBe(origin);
  });

  test("matching is exact: no prefixes, suffixes, other schemes or ports, never a wildcard", async () => {
    for (const origin of [
      "https://app.example.test.evil.test",
      "https://evil-app.example.test",
      "http://app.example.test",
      "https://app.example.test:8443",
      "http://localhost:5174",
      "null",
    ]) {
      const res = await api("/api/health/", { headers: { origin } });
      expect(res.status).toBe(200);
      expect(res.headers.get("access-control-allow-origin"), origin).toBeNull();
      expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    }
  });

  test("a preflight from an allowed origin gets 200 with methods, headers and max-age", async () => {
    const res = await api("/api/token/", {
      method: "OPTIONS",
      headers: { origin: "http://localhost:5173", "access-control-request-method": "POST", "access-control-request-headers": "content-type, authorization" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("access-control-allow-methods")).toBe("DELETE, GET, OPTIONS, PATCH, POST, PUT");
    expect(res.headers.get("access-control-allow-headers")).toContain("authorization");
    expect(res.headers.get("access-control-allow-headers")).toContain("content-type");
    expect(res.headers.get("access-control-max-age")).toBe("86400");
    expect(res.headers.get("vary") ?? "").toMatch(/\bOrigin\b/);
  });

  test("preflights reach tRPC and unknown paths too", async () => {
    for (const path of ["/api/trpc/me.get", "/api/nowhere/"]) {
      const res = await api(path, { method: "OPTIONS", headers: { origin: ALLOWED, "access-control-request-method": "GET" } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    }
  });

  test("a preflight from a disallowed origin gets no CORS headers", async () => {
    const res = await api("/api/token/", {
      method: "OPTIONS",
      headers: { origin: "https://evil.test", "access-control-request-method": "POST" },
    });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("access-control-allow-methods")).toBeNull();
    expect(res.headers.get("access-control-allow-headers")).toBeNull();
  });
});

describe("security headers", () => {
  const expectSecure = (headers: Headers, label: string) => {
    expect(headers.get("x-content-type-options"), label).toBe("nosniff");
    expect(headers.get("x-frame-options"), label).toBe("DENY");
    expect(headers.get("content-security-policy") ?? "", label).toContain("frame-ancestors 'none'");
    expect(headers.get("referrer-policy"), label).toMatch(/^(no-referrer|strict-origin-when-cross-origin)$/);
    expect(headers.get("strict-transport-security"), label).toMatch(/max-age=\d+/);
    expect(headers.get("permissions-policy"), label).toContain("camera=()");
  };

  test("on API answers of every kind", async () => {
    const cases: [string, RequestInit][] = [
      ["/api/health/", {}],
      ["/api/me/", {}],
      ["/api/nowhere/", {}],
      ["/api/token/", { method: "POST", body: "x", headers: { "content-type": "text/plain" } }],
      ["/api/token/", { method: "GET" }],
      ["/api/trpc/me.get", {}],
      ["/api/schema/", {}],
    ];
    for (const [path, init] of cases) {
      const res = await fetch(`${baseUrl()}${path}`, { ...init, redirect: "manual" });
      expectSecure(res.headers, `${init.method ?? "GET"} ${path}`);
      expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
      expect(res.headers.get("cache-control")).toContain("no-store");
      await res.arrayBuffer();
    }
  });

  test("on pages and missing pages", async () => {
    for (const path of ["/", "/no-such-page"]) {
      const res = await fetch(`${baseUrl()}${path}`, { redirect: "manual" });
      expectSecure(res.headers, path);
      await res.arrayBuffer();
    }
  });
});
