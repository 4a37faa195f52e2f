/**
 * No Docker engine runs in CI, so the compose file and the worker Dockerfile are checked
 * structurally: valid YAML with the compose shape, every reference resolvable, and the worker
 * image multi-stage, non-root, running `node dist/worker.mjs` (which the build produces).
 */
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const compose = parse(readFileSync("compose.yaml", "utf8"), { merge: true }) as {
  services: Record<string, any>;
  volumes?: Record<string, unknown>;
};

describe("compose.yaml", () => {
  it("defines app, worker, Postgres and Redis, each buildable or pullable", () => {
    expect(Object.keys(compose.services)).toEqual(expect.arrayContaining(["app", "worker", "postgres", "redis", "migrate"]));
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.image ?? service.build, `${name} needs image or build`).toBeTruthy();
      if (service.build) expect(existsSync(service.build.dockerfile ?? "Dockerfile"), `${name} Dockerfile`).toBe(true);
    }
    expect(compose.services.worker.build.dockerfile).toBe("Dockerfile.worker");
    expect(compose.services.app.build.dockerfile).toBe("Dockerfile");
  });

  it("has resolvable dependencies, volumes and complete environments", () => {
    const names = new Set(Object.keys(compose.services));
    for (const service of Object.values(compose.services)) {
      for (const [dep, cond] of Object.entries<any>(service.depends_on ?? {})) {
        expect(names.has(dep)).toBe(true);
        expect(["service_started", "service_healthy", "service_completed_successfully"]).toContain(cond.condition);
        if (cond.condition === "service_healthy") expect(compose.services[dep].healthcheck).toBeTruthy();
      }
      for (const volume of service.volumes ?? []) {
        const source = String(volume).split(":")[0]!;
        if (!source.startsWith(".") && !source.startsWith("/")) expect(Object.keys(compose.volumes ?? {})).toContain(source);
      }
      for (const value of Object.values(service.environment ?? {})) expect(typeof value === "string").toBe(true);
    }
    for (const name of ["app", "worker"]) {
      const env = compose.services[name].environment;
      expect(env).toMatchObject({ REDIS_URL: expect.stringContaining("redis:6379"), DATABASE_URL: expect.stringContaining("@postgres:5432/") });
      expect(env.QUEUE_PREFIX).toBe("adinsights");
    }
    expect(compose.services.worker.environment.WORKER_HEALTH_PORT).toBe("3001");
  });
});

describe("Dockerfile.worker", () => {
  const lines = readFileSync("Dockerfile.worker", "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  it("is multi-stage, runs as a non-root user, and starts dist/worker.mjs", () => {
    expect(lines.filter((l) => /^FROM /.test(l)).length).toBeGreaterThanOrEqual(2);
    const user = lines.filter((l) => l.startsWith("USER ")).at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/USER (root|0)\b/);
    expect(lines.at(-1)).toBe('CMD ["node", "dist/worker.mjs"]');
    expect(lines.some((l) => l.startsWith("HEALTHCHECK") && l.includes("/healthz"))).toBe(true);
    // The file it runs is one the build script produces.
    expect(readFileSync("server/cli/build-worker.mjs", "utf8")).toContain('worker: "worker/index.ts"');
  });
});
