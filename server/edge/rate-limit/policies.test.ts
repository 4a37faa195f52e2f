import { describe, expect, test } from "vitest";
import { parseEnv } from "../../env";
import { MemoryWindows } from "./memory";
import { isUserScope, parseRate, THROTTLE_SCOPES } from "./policies";

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
    expect(THROTTLE_SCOPES.auth.policies(e)).toEqual([
      { name: "auth_burst", rate: { limit: 3, windowMs: 1000 } },
      { name: "auth_sustained", rate: { limit: 50, windowMs: 3_600_000 } },
    ]);
    expect(THROTTLE_SCOPES.public.policies(parseEnv({}))).toEqual([{ name: "public", rate: { limit: 120, windowMs: 60_000 } }]);
  });
});

describe("per-user scopes", () => {
  test("signed-in actions that cost something count per user, with the documented defaults", () => {
    const e = parseEnv({});
    const min = (limit: number) => ({ limit, windowMs: 60_000 });
    expect(THROTTLE_SCOPES.invites.policies(e)).toEqual([
      { name: "user_invites_burst", rate: min(30) },
      { name: "user_invites_sustained", rate: { limit: 500, windowMs: 86_400_000 } },
    ]);
    expect(THROTTLE_SCOPES.sync.policies(e)).toEqual([{ name: "user_sync", rate: min(60) }]);
    expect(THROTTLE_SCOPES.connect.policies(e)).toEqual([{ name: "user_connect", rate: min(60) }]);
    expect(THROTTLE_SCOPES.provision.policies(e)).toEqual([{ name: "user_provision", rate: min(60) }]);
  });

  test("limits come from the environment, and a malformed one stops the start naming it", () => {
    expect(THROTTLE_SCOPES.sync.policies(parseEnv({ USER_THROTTLE_SYNC: "2/hour" }))).toEqual([{ name: "user_sync", rate: { limit: 2, windowMs: 3_600_000 } }]);
    expect(() => parseEnv({ USER_THROTTLE_INVITES_BURST: "lots" })).toThrow(/^Invalid environment: USER_THROTTLE_INVITES_BURST must look like/);
  });

  test("client scopes and user scopes are told apart, and no two policies share a counter", () => {
    expect(Object.keys(THROTTLE_SCOPES).filter((s) => isUserScope(s as keyof typeof THROTTLE_SCOPES))).toEqual(["invites", "sync", "connect", "provision"]);
    const names = Object.values(THROTTLE_SCOPES).flatMap((scope) => scope.policies(parseEnv({})).map((p) => p.name));
    expect(new Set(names).size).toBe(names.length);
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
