/** Unit checks of the edge helpers: logged paths, CORS decisions, client addresses. */
import { describe, expect, test } from "vitest";
import { parseEnv } from "../env";
import { clientIp } from "../edge/client-ip";
import { allowOriginFor, corsPolicy } from "./cors";
import { loggedPath } from "./logged-path";

describe("loggedPath", () => {
  test("keeps the path and harmless parameters, drops secret values", () => {
    const url = new URL("http://x/api/integrations/google/callback/?code=4/abc&state=xyz&scope=a+b&access_token=t&page=2");
    expect(loggedPath(url)).toBe(
      "/api/integrations/google/callback/?code=%5Bredacted%5D&state=%5Bredacted%5D&scope=a%20b&access_token=%5Bredacted%5D&page=2",
    );
    expect(loggedPath(new URL("http://x/api/me/"))).toBe("/api/me/");
  });

  test("redacts secrets inside a return path's own query (login after an OAuth return)", () => {
    const code = "4/0AVG7fiQ" + "x".repeat(60);
    const returnTo = `/dashboards/data-sources?code=${encodeURIComponent(code)}&state=st-${"y".repeat(40)}`;
    const logged = loggedPath(new URL(`http://x/login?callbackUrl=${encodeURIComponent(returnTo)}`));
    expect(logged).toContain("%2Fdashboards%2Fdata-sources");
    expect(logged).not.toContain("0AVG7fiQ");
    expect(logged).not.toContain("st-yyy");
  });

  test("cuts long values", () => {
    expect(loggedPath(new URL(`http://x/a?q=${"z".repeat(500)}`)).length).toBeLessThan(120);
  });
});

describe("CORS decisions", () => {
  const policy = (vars: Record<string, string>) => corsPolicy(parseEnv({ FRONTEND_BASE_URL: "https://app.example.com/dash", ...vars }));

  test("exact origins, FRONTEND_BASE_URL's origin included", () => {
    const p = policy({ CORS_ALLOWED_ORIGINS: "https://a.test, http://localhost:5173/" });
    expect(allowOriginFor("https://a.test", p)).toBe("https://a.test");
    expect(allowOriginFor("http://localhost:5173", p)).toBe("http://localhost:5173");
    expect(allowOriginFor("https://app.example.com", p)).toBe("https://app.example.com");
    for (const o of ["https://a.test.evil", "http://a.test", "https://sub.a.test", "null", ""]) expect(allowOriginFor(o, p)).toBeNull();
  });

  test("allow-all never pairs a wildcard with credentials", () => {
    expect(allowOriginFor("https://any.test", policy({ CORS_ALLOW_ALL_ORIGINS: "true", CORS_ALLOW_CREDENTIALS: "false" }))).toBe("*");
    expect(allowOriginFor("https://any.test", policy({ CORS_ALLOW_ALL_ORIGINS: "true" }))).toBe("https://any.test");
  });

  test("production refuses allow-all with credentials", () => {
    expect(() => parseEnv({ NODE_ENV: "production", SECRET_KEY: "k".repeat(40), CORS_ALLOW_ALL_ORIGINS: "1" })).toThrow(/CORS_ALLOW_ALL_ORIGINS/);
  });
});

describe("clientIp with the socket address appended by the server", () => {
  const h = (xff: string) => new Headers({ "x-forwarded-for": xff });
  test("no trusted proxy: the socket address, whatever the client wrote", () => {
    expect(clientIp(h("6.6.6.6, 10.0.0.9"), 0)).toBe("10.0.0.9");
    expect(clientIp(h("::ffff:127.0.0.1"), 0)).toBe("127.0.0.1");
  });
  test("N trusted proxies: the Nth entry from the right", () => {
    expect(clientIp(h("6.6.6.6, 203.0.113.7, 10.0.0.2"), 1)).toBe("203.0.113.7");
    expect(clientIp(h("6.6.6.6, 203.0.113.7, 10.0.0.3, 10.0.0.2"), 2)).toBe("203.0.113.7");
  });
});
