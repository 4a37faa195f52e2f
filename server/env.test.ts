import { describe, expect, it } from "vitest";
import { EnvError, isPlaceholder, parseEnv } from "./env";

const prod = { NODE_ENV: "production", SECRET_KEY: "x".repeat(40) };

describe("environment", () => {
  it("fills every default in development", () => {
    const env = parseEnv({});
    expect(env.PORT).toBe(3000);
    expect(env.TIME_ZONE).toBe("America/Jamaica");
    expect(env.DRF_THROTTLE_AUTH_BURST).toBe("10/min");
    expect(env.META_GRAPH_API_VERSION).toBe("v20.0");
    expect(env.KMS_PROVIDER).toBe("local");
    expect(env.defaultAdmin).toMatchObject({ email: "admin@example.com", password: "admin1", tenantName: "Default Tenant" });
    expect(env.CORS_ALLOWED_METHODS).toEqual(["DELETE", "GET", "OPTIONS", "PATCH", "POST", "PUT"]);
  });

  it("treats placeholders as unset", () => {
    for (const v of ["", "changeme", "replace-me", "replace_with_key", "my-placeholder", "<your key>"])
      expect(isPlaceholder(v)).toBe(true);
    expect(isPlaceholder("real-value")).toBe(false);
    expect(parseEnv({ META_APP_ID: "changeme" }).META_APP_ID).toBeUndefined();
  });

  it("refuses production without a strong SECRET_KEY, naming the variable but not the value", () => {
    expect(() => parseEnv({ NODE_ENV: "production" })).toThrow(/SECRET_KEY/);
    try {
      parseEnv({ NODE_ENV: "production", SECRET_KEY: "too-short-secret" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      expect((error as EnvError).variable).toBe("SECRET_KEY");
      expect((error as Error).message).not.toContain("too-short-secret");
    }
    expect(parseEnv({ NODE_ENV: "production", DJANGO_SECRET_KEY: "y".repeat(32) }).signingKey).toBe("y".repeat(32));
  });

  it("names a malformed value", () => {
    expect(() => parseEnv({ ...prod, PORT: "eighty" })).toThrow(/PORT/);
    expect(() => parseEnv({ ...prod, DRF_THROTTLE_AUTH_BURST: "ten per minute" })).toThrow(/DRF_THROTTLE_AUTH_BURST/);
    expect(() => parseEnv({ ...prod, TIME_ZONE: "Mars/Olympus" })).toThrow(/TIME_ZONE/);
    expect(() => parseEnv({ ...prod, FRONTEND_BASE_URL: "not a url" })).toThrow(/FRONTEND_BASE_URL/);
    expect(() => parseEnv({ ...prod, CORS_ALLOW_ALL_ORIGINS: "true" })).toThrow(/CORS_ALLOW_ALL_ORIGINS/);
  });

  it("ignores a default tenant id that is not a UUID", () => {
    expect(parseEnv({ DJANGO_DEFAULT_TENANT_ID: "abc" }).defaultAdmin.tenantId).toBeUndefined();
  });
});
