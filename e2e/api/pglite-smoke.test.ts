/** The embedded default: with no DATABASE_URL the production server (`npm start`) runs on PGlite and signs the default admin in. */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { freePort, waitForHttp } from "../support/net";

describe("PGlite smoke", () => {
  it("boots without DATABASE_URL, migrates, and logs the default admin in", async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "adinsights-pglite-"));
    const port = await freePort();
    const { DATABASE_URL: _omit, ...inherited } = process.env;
    const child = spawn(process.execPath, [path.join("dist", "serve.mjs"), "-p", String(port), "-H", "127.0.0.1"], {
      env: {
        ...inherited,
        NODE_ENV: "production",
        SECRET_KEY: "pglite-smoke-signing-key-0123456789abcdef",
        PGLITE_DATA_DIR: dataDir,
        ALLOW_DEFAULT_ADMIN: "1",
        DJANGO_DEFAULT_ADMIN_PASSWORD: "smoke-admin-pass",
        NEXT_TELEMETRY_DISABLED: "1",
        LOG_LEVEL: "warn",
        // Its own rate-limit buckets: other runs on this machine share 127.0.0.1.
        REDIS_KEY_PREFIX: `adinsights-pglite-smoke-${process.pid}-${Date.now()}`,
      },
      stdio: "ignore",
    });
    try {
      const base = `http://127.0.0.1:${port}`;
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
    } finally {
      child.kill("SIGTERM");
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
