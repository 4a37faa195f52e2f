/** The default admin (spec/accounts.md "Default admin"), exercised in-process against the test database. */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { closeDatabase } from "../../server/db/client";
import { resetEnvCache } from "../../server/env";
import { ensureDefaultAdmin } from "../../server/services/accounts/default-admin";
import { api, uniqueEmail } from "../support/api";

const saved = { ...process.env };
function useEnv(vars: Record<string, string>) {
  process.env = { ...saved, ...inject("testEnv"), ...vars };
  resetEnvCache();
}

beforeAll(() => useEnv({}));
afterAll(async () => {
  await closeDatabase();
  process.env = saved;
  resetEnvCache();
});

describe("default admin", () => {
  it("was provisioned at app start and signs in as a superuser ADMIN", async () => {
    const res = await api("/api/auth/login/", { body: { email: "admin@example.com", password: "integration-admin-pass" } });
    expect(res.status).toBe(200);
    expect(res.body.user.roles).toEqual(["ADMIN"]);
  });

  it("is idempotent under concurrent starts and never resets a password", async () => {
    const email = uniqueEmail("bootstrap");
    useEnv({ DJANGO_DEFAULT_ADMIN_EMAIL: email, DJANGO_DEFAULT_ADMIN_PASSWORD: "first-password-1", DJANGO_DEFAULT_TENANT_NAME: `T ${email}` });
    const outcomes = await Promise.all([ensureDefaultAdmin(), ensureDefaultAdmin(), ensureDefaultAdmin()]);
    expect(outcomes.filter((o) => o === "created")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "exists")).toHaveLength(2);

    useEnv({ DJANGO_DEFAULT_ADMIN_EMAIL: email, DJANGO_DEFAULT_ADMIN_PASSWORD: "second-password-2", DJANGO_DEFAULT_TENANT_NAME: `T ${email}` });
    expect(await ensureDefaultAdmin()).toBe("exists");
    expect((await api("/api/token/", { body: { email, password: "first-password-1" } })).status).toBe(200);
    expect((await api("/api/token/", { body: { email, password: "second-password-2" } })).status).toBe(401);
  });

  it("is off unless ALLOW_DEFAULT_ADMIN is truthy, and refuses the default password in production", async () => {
    useEnv({ ALLOW_DEFAULT_ADMIN: "off", DJANGO_DEFAULT_ADMIN_EMAIL: uniqueEmail() });
    expect(await ensureDefaultAdmin()).toBe("disabled");
    useEnv({ ALLOW_DEFAULT_ADMIN: "yes", DJANGO_DEFAULT_ADMIN_EMAIL: uniqueEmail(), DJANGO_DEFAULT_ADMIN_PASSWORD: "", DEFAULT_ADMIN_PASSWORD: "" });
    expect(await ensureDefaultAdmin()).toBe("refused");
  });

  it("uses DJANGO_DEFAULT_TENANT_ID when it is a UUID", async () => {
    const tenantId = crypto.randomUUID();
    const email = uniqueEmail("fixed");
    useEnv({ DJANGO_DEFAULT_TENANT_ID: tenantId, DJANGO_DEFAULT_ADMIN_EMAIL: email, DJANGO_DEFAULT_ADMIN_PASSWORD: "fixed-tenant-pass" });
    expect(await ensureDefaultAdmin()).toBe("created");
    const login = await api("/api/auth/login/", { body: { email, password: "fixed-tenant-pass" } });
    expect(login.body.tenant_id).toBe(tenantId);
  });
});
