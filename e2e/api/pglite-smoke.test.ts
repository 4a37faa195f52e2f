/**
 * The embedded default: with no DATABASE_URL the production server (`npm start`) runs on PGlite,
 * signs the default admin in, and runs the worker's jobs itself (PGlite cannot be shared with a
 * sidecar worker): a connector is connected, provisioned and synced against the fakes.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { connect, fakeUser, provision, status, waitForState } from "../support/connectors";
import { freePort, waitForHttp } from "../support/net";
import { dropRedisKeys } from "../support/redis-keys";

describe("PGlite smoke", () => {
  it("boots without DATABASE_URL, migrates, logs the default admin in, and runs a sync to the end", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "adinsights-pglite-"));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const { DATABASE_URL: _omit, MIGRATION_DATABASE_URL: _omit2, ...testEnv } = inject("testEnv");
    const { DATABASE_URL: _omit3, ...inherited } = process.env;
    // Its own rate-limit buckets and queues: other runs on this machine share this Redis.
    const prefix = `adinsights-pglite-smoke-${process.pid}-${Date.now()}`;
    const child = spawn(process.execPath, [path.join("dist", "serve.mjs"), "-p", String(port), "-H", "127.0.0.1"], {
      env: {
        ...inherited,
        // The fakes, KMS and Airbyte settings of the test run; the database is left to PGlite.
        ...testEnv,
        NODE_ENV: "production",
        SECRET_KEY: "pglite-smoke-signing-key-0123456789abcdef",
        PGLITE_DATA_DIR: dataDir,
        ALLOW_DEFAULT_ADMIN: "1",
        DJANGO_DEFAULT_ADMIN_PASSWORD: "smoke-admin-pass",
        FRONTEND_BASE_URL: base,
        LOG_LEVEL: "warn",
        REDIS_KEY_PREFIX: prefix,
        QUEUE_PREFIX: prefix,
      },
      stdio: "ignore",
    });
    try {
      await waitForHttp(`${base}/api/health/`, 60_000);
      const login = await fetch(`${base}/api/auth/login/`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "admin@example.com", password: "smoke-admin-pass" }),
      });
      expect(login.status).toBe(200);
      const body = (await login.json()) as { access: string; user: { roles: string[] } };
      expect(body.user.roles).toEqual(["ADMIN"]);
      const me = await fetch(`${base}/api/users/`, { headers: { authorization: `Bearer ${body.access}` } });
      expect(((await me.json()) as { count: number }).count).toBe(1);

      const admin = { access: body.access, base };
      await connect(admin, "ga4", fakeUser("pglite"));
      expect((await provision(admin, "ga4")).status).toBe(201);
      const queued = await fetch(`${base}/api/integrations/ga4/sync/`, { method: "POST", headers: { authorization: `Bearer ${body.access}` } });
      expect(queued.status).toBe(202);
      const done = await waitForState(admin, "ga4", "connected", 30_000);
      expect(done.last_job).toMatchObject({ status: "succeeded", records_synced: 1234 });
      expect((await status(admin, "ga4")).body.connections[0].last_job_status).toBe("succeeded");
    } finally {
      child.kill("SIGTERM");
      rmSync(dataDir, { recursive: true, force: true });
      await dropRedisKeys(inject("testEnv").REDIS_URL!, prefix);
    }
  }, 120_000);
});
