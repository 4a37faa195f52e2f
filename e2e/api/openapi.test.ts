/**
 * GET /api/schema/: a valid OpenAPI 3.1 document that lists every route file under app/api,
 * whose request bodies are the handlers' own zod schemas, and whose methods match what the
 * routes answer.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { z } from "zod";
import { beforeAll, describe, expect, test } from "vitest";
import { createUserInput, signUpInput } from "~/server/services/accounts/schemas";
import { api } from "../support/api";

const API_DIR = path.join(process.cwd(), "app", "api");
/** The catch-all answers JSON 404 for paths no route claims; it is not an endpoint. */
const NOT_ENDPOINTS = new Set(["/api/{[...path]}/"]);

/** Every route.ts under app/api, as the URL path it serves (`[id]` → `{id}`). */
function routeFiles(dir = API_DIR): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...routeFiles(full));
    else if (/^route\.(ts|tsx|js)$/.test(entry.name)) {
      const rel = path.relative(path.join(process.cwd(), "app"), dir).split(path.sep);
      found.push(`/${rel.map((s) => s.replace(/^\[(.+)\]$/, "{$1}")).join("/")}/`);
    }
  }
  return found.sort();
}

/** The document's path for a route file's path (tRPC names its segment `procedure`). */
const documentedAs = (p: string) => (p === "/api/trpc/{trpc}/" ? "/api/trpc/{procedure}" : p);

let doc: any;
beforeAll(async () => {
  const res = await api("/api/schema/");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toContain("application/json");
  doc = res.body;
});

describe("OpenAPI document", () => {
  test("is a valid OpenAPI 3.1 document", async () => {
    expect(doc.openapi).toBe("3.1.0");
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  test("lists every route handler under app/api, each operation documented", () => {
    const files = routeFiles();
    expect(files.length).toBeGreaterThan(10);
    const missing = files.filter((f) => !NOT_ENDPOINTS.has(f) && !(documentedAs(f) in doc.paths));
    expect(missing, "build the route with restRoute() (the table is generated: node server/cli/api-routes.mjs)").toEqual([]);
    for (const [p, item] of Object.entries<any>(doc.paths))
      for (const [method, op] of Object.entries<any>(item))
        if (typeof op === "object" && op.responses) expect(op["x-undocumented"], `${method} ${p}: use operation({...})`).toBeUndefined();
  });

  test("request bodies are the handlers' zod schemas", () => {
    const bodyOf = (p: string, m: string) => doc.paths[p][m].requestBody.content["application/json"].schema;
    const expected = (s: z.ZodType) => {
      const { $schema: _, ...rest } = z.toJSONSchema(s, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
      return rest;
    };
    expect(bodyOf("/api/users/", "post")).toEqual(expected(createUserInput));
    expect(bodyOf("/api/tenants/", "post")).toEqual(expected(signUpInput));
  });

  test("documents the error shapes where they occur", () => {
    const token = doc.paths["/api/token/"].post;
    expect(token.responses["429"].headers["Retry-After"]).toBeDefined();
    expect(token.responses["400"].content["application/json"].schema.$ref).toBe("#/components/schemas/ValidationErrors");
    expect(token.responses["415"]).toBeDefined();
    expect(token.responses["413"]).toBeDefined();
    expect(token.security).toEqual([]);
    const me = doc.paths["/api/me/"].get;
    expect(me.security).toEqual([{ bearer: [] }]);
    expect(me.responses["401"]).toBeDefined();
    expect(me.responses["500"].content["application/json"].schema.$ref).toBe("#/components/schemas/InternalError");
    expect(doc.paths["/api/tenants/{tenant_id}/"].get.parameters[0]).toMatchObject({ name: "tenant_id", in: "path" });
    expect(doc.paths["/api/users/"].get.parameters.map((p: any) => p.name)).toEqual(["page", "page_size"]);
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(["Detail", "ValidationErrors", "InternalError"]));
  });

  test("the documented methods are exactly the ones the routes answer", async () => {
    for (const [p, item] of Object.entries<any>(doc.paths)) {
      if (p.startsWith("/api/trpc/")) continue;
      const url = p.replace(/\{[^}]+\}/g, "00000000-0000-4000-8000-000000000000");
      for (const method of ["get", "post", "put", "patch", "delete"]) {
        const res = await api(url, { method: method.toUpperCase(), raw: method === "get" ? undefined : "{}", headers: { "content-type": "application/json" } });
        expect(res.status === 405, `${method} ${p} → ${res.status}`).toBe(!(method in item));
      }
    }
  });
});
