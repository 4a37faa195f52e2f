/**
 * The fast lane and the API document are built from app/api/route-table.ts, generated from the
 * app/api tree (server/cli/api-routes.mjs; `npm run build` regenerates it). These checks fail when
 * a route file is missing from the committed table, or when a route could not be served without Next.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { API_ROUTES } from "~/app/api/route-table";
import { routeEntry, routeTableSource, TABLE_FILE } from "~/server/cli/api-routes.mjs";
import { API_HANDLER, METHODS } from "./route";

const API_DIR = path.join(process.cwd(), "app", "api");

/** Every route.ts under app/api, found by walking the tree here (not by the generator). */
function routeFiles(dir = API_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return routeFiles(full);
    return entry.name === "route.ts" ? [path.relative(process.cwd(), full)] : [];
  });
}

describe("the generated API route table", () => {
  it("is up to date with the app/api tree (regenerate with: node server/cli/api-routes.mjs)", () => {
    expect(readFileSync(TABLE_FILE, "utf8")).toBe(routeTableSource());
  });

  it("holds every route file under app/api", () => {
    const files = routeFiles().sort();
    expect(files.length).toBeGreaterThan(30);
    expect(API_ROUTES.map((r) => r.file).sort()).toEqual(files);
  });

  it("gives every method of every route a fast-lane entry", () => {
    for (const route of API_ROUTES)
      for (const method of METHODS) {
        const exported = route.module[method] as { [API_HANDLER]?: unknown } | undefined;
        expect(typeof exported, `${route.file} exports ${method}`).toBe("function");
        expect(typeof exported?.[API_HANDLER], `${route.file} ${method} was built with restRoute()/routeExport()`).toBe("function");
      }
  });

  it("maps folders to paths: parameters, the catch-all, route groups", () => {
    expect(routeEntry("tenants/[tenant_id]/invite/route.ts")).toEqual({ path: "/api/tenants/{tenant_id}/invite/", pattern: "/api/tenants/:tenant_id/invite/", file: "app/api/tenants/[tenant_id]/invite/route.ts", kind: "route" });
    expect(routeEntry("[[...path]]/route.ts")).toMatchObject({ pattern: "/api/*", kind: "fallback" });
    expect(routeEntry("(admin)/reports/route.ts")).toMatchObject({ path: "/api/reports/", pattern: "/api/reports/" });
    expect(routeEntry("route.ts")).toMatchObject({ path: "/api/", pattern: "/api/" });
  });
});
