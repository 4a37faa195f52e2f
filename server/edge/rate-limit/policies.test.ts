import { describe, expect, test } from "vitest";
import { parseEnv } from "../../env";
import { MemoryWindows } from "./memory";
import { parseRate, THROTTLE_SCOPES } from "./policies";

describe("DRF rate syntax", () => {
  test.each([
    ["10/min", 10, 60_000],
    ["100/hour", 100, 3_600_000],
    ["5/second", 5, 1000],
    ["1000/day", 1000, 86_400_000],
    ["3/s", 3, 1000],
    ["7/M", 7, 60_000],
  ])("%s", (text, limit, windowMs) => expect(parseRate(text)).toEqual({ limit, windowMs }));

  test("rejects what env.ts would reject", () => {
    for (const bad of ["10", "/min", "ten/min", "10/week", "10 /min"]) expect(() => parseRate(bad)).toThrow();
  });

  test("the auth scope is burst and sustained, from the environment", () => {
    const e = parseEnv({ DRF_THROTTLE_AUTH_BURST: "3/second", DRF_THROTTLE_AUTH_SUSTAINED: "50/hour" });
    expect(THROTTLE_SCOPES.auth(e)).toEqual([
      { name: "auth_burst", rate: { limit: 3, windowMs: 1000 } },
      { name: "auth_sustained", rate: { limit: 50, windowMs: 3_600_000 } },
    ]);
    expect(THROTTLE_SCOPES.public(parseEnv({}))).toEqual([{ name: "public", rate: { limit: 120, windowMs: 60_000 } }]);
  });
});

describe("in-memory fallback windows", () => {
  const rate = { limit: 3, windowMs: 60_000 };

  test("allows exactly the limit per window and reports the window's end", () => {
    const windows = new MemoryWindows();
    const t = 1_000_000 * 60_000 + 5_000;
    const results = Array.from({ length: 5 }, () => windows.take("ip", rate, t));
    expect(results.map((r) => r.success)).toEqual([true, true, true, false, false]);
    expect(results[4]!.reset).toBe(1_000_001 * 60_000);
    expect(windows.take("ip", rate, 1_000_001 * 60_000).success).toBe(true);
  });

  test("keys do not share a counter", () => {
    const windows = new MemoryWindows();
    for (let i = 0; i < 3; i++) windows.take("a", rate, 0);
    expect(windows.take("a", rate, 0).success).toBe(false);
    expect(windows.take("b", rate, 0).success).toBe(true);
  });
});
