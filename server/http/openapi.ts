/**
 * The OpenAPI 3.1 document served at GET /api/schema/, generated from the route exports
 * themselves: each `restRoute` export carries its operations (server/http/operation.ts), whose
 * request schemas are the zod schemas the glue validates with. Errors the glue itself produces
 * (400 validation, 401, 404 on path ids, 413/415 bodies, 429 throttles, 503 while the database is
 * unreachable, 500) are added here from the operation's declared body/auth/throttle, so they are
 * documented exactly where they occur.
 */
import { z } from "zod";
import packageJson from "../../package.json";
import type { ApiRoute } from "./api-route";
import { ROUTE_DOC, type RouteDoc } from "./route";
import type { OperationDoc, ResponseDoc } from "./operation";

type Json = Record<string, unknown>;

/** JSON Schema (2020-12, as OpenAPI 3.1 uses it) of a zod schema, as a client must send or will receive it. */
function schemaOf(schema: z.ZodType, io: "input" | "output"): Json {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" }) as Json;
  return rest;
}

const ERROR_SCHEMAS: Record<string, Json> = {
  Detail: {
    type: "object",
    properties: { detail: { type: "string" }, code: { type: "string" } },
    required: ["detail"],
  },
  ValidationErrors: {
    type: "object",
    description: 'One key per bad field (or "non_field_errors"), each a list of messages; or a "detail" for malformed JSON.',
    additionalProperties: { type: "array", items: { type: "string" } },
    properties: { detail: { type: "string" }, code: { type: "string" } },
  },
  InternalError: {
    type: "object",
    properties: { detail: { const: "Internal server error." }, request_id: { type: "string" } },
    required: ["detail", "request_id"],
  },
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const errorResponse = (description: string, schema = "Detail", headers?: Json) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { "application/json": { schema: ref(schema) } },
});

function responseOf(doc: ResponseDoc): Json {
  return doc.schema
    ? { description: doc.description, content: { "application/json": { schema: schemaOf(doc.schema, "output") } } }
    : { description: doc.description };
}

function operationObject(method: string, path: string, op: OperationDoc | null): Json {
  const params = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  if (!op) return { summary: `${method} ${path}`, "x-undocumented": true, responses: { default: { description: "Undocumented" } } };
  const responses: Json = {};
  for (const [status, doc] of Object.entries(op.responses)) responses[status] = responseOf(doc);
  if (op.body || op.query) responses["400"] ??= errorResponse("Invalid input", "ValidationErrors");
  if (op.auth) responses["401"] ??= errorResponse("Missing, invalid or expired bearer token", "Detail", { "WWW-Authenticate": { schema: { type: "string" } } });
  if (params.length) responses["404"] ??= errorResponse("Not found (or outside the caller's tenant)");
  if (op.body) {
    responses["413"] ??= errorResponse("Body over 1 MiB");
    responses["415"] ??= errorResponse("Body is not JSON");
  }
  if (op.throttle)
    responses["429"] ??= errorResponse("Rate limit exceeded", "Detail", {
      "Retry-After": { description: "Seconds until a request can succeed", schema: { type: "integer" } },
    });
  // Authenticated and body-carrying operations read or write the database (the probes do not).
  if (op.auth || op.body)
    responses["503"] ??= errorResponse('Database unreachable: {"detail": "Service temporarily unavailable."}', "Detail", {
      "Retry-After": { description: "Seconds to wait before retrying", schema: { type: "integer" } },
    });
  responses["500"] ??= errorResponse("Unexpected error (no internal detail)", "InternalError");
  const parameters = [
    ...params.map((name) => ({ name, in: "path", required: true, schema: { type: "string" } })),
    ...Object.entries(op.query ? (schemaOf(op.query, "input").properties as Record<string, Json>) : {}).map(([name, schema]) => ({
      name,
      in: "query",
      required: false,
      schema,
      ...(typeof schema.description === "string" ? { description: schema.description } : {}),
    })),
  ];
  return {
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    operationId: `${method.toLowerCase()}${path.replace(/[{}]/g, "").replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
    ...(parameters.length ? { parameters } : {}),
    ...(op.body ? { requestBody: { required: true, content: { "application/json": { schema: schemaOf(op.body, "input") } } } } : {}),
    security: op.auth ? [{ bearer: [] }] : [],
    ...(op.throttle ? { "x-throttle-scope": op.throttle } : {}),
    responses,
  };
}

/** A route module's exports as Next sees them; any method export carries the route's doc. */
export type RouteModule = Record<string, unknown>;

export function routeDocOf(module: RouteModule): RouteDoc | undefined {
  for (const value of Object.values(module)) {
    const doc = typeof value === "function" ? (value as { [ROUTE_DOC]?: RouteDoc })[ROUTE_DOC] : undefined;
    if (doc) return doc;
  }
  return undefined;
}

/** Paths that are not `restRoute`s but belong in the document (tRPC is one opaque endpoint). */
export interface ExtraPath {
  path: string;
  item: Json;
}

/** The document of every route built with restRoute() (others, such as tRPC's endpoint, go in `extra`). */
export function openApiDocument(routes: Pick<ApiRoute, "path" | "module">[], extra: ExtraPath[] = []): Json {
  const paths: Json = {};
  for (const { path, module } of routes) {
    const doc = routeDocOf(module);
    if (!doc) continue;
    const item: Json = {};
    for (const [method, op] of Object.entries(doc)) item[method.toLowerCase()] = operationObject(method, path, op ?? null);
    paths[path] = item;
  }
  for (const { path, item } of extra) paths[path] = item;
  return {
    openapi: "3.1.0",
    info: {
      title: "ADinsights API",
      version: packageJson.version,
      description:
        "REST contract of ADinsights (DRF-compatible paths, status codes and JSON shapes). Every response carries X-Request-Id.",
    },
    paths,
    components: {
      schemas: ERROR_SCHEMAS,
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
    },
  };
}
