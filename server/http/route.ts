/**
 * REST glue: every `app/api/**\/route.ts` exports the methods built here.
 *
 * The wrapper gives each request an id, answers unknown methods with DRF's 405, turns domain
 * errors into the spec's JSON, hides unexpected errors behind a generic 500, and writes one log
 * line per request.
 *
 * Each export is two things at once: the function Next's router calls (a Web `Request` in, a
 * `Response` out) and, under the API_HANDLER symbol, the same handler on the transport-neutral
 * request/response (message.ts) that the fast lane calls without Next (server/http/fast-lane.ts).
 */
import "server-only";
import { randomUUID } from "node:crypto";
import { type z } from "zod";
import type { Principal } from "../services/accounts/principal";
import { asAppError } from "../services/errors";
import { parseInput } from "../services/validation";
import { countStatements } from "../db/statement-counter";
import { pgErrorCode } from "../db/errors";
import { log } from "../infra/log";
import { clientIp } from "../edge/client-ip";
import { principalFromBearer } from "../edge/principal";
import { isUserScope } from "../edge/rate-limit/policies";
import { throttle, throttleUser } from "../edge/rate-limit/throttle";
import { readJson } from "./body";
import { applyCors, preflight } from "./cors";
import { loggedPath } from "./logged-path";
import { fromWebRequest, json, toWebResponse, type ApiRequest, type ApiResponse } from "./message";
import { isOperation, type Operation, type OperationDoc } from "./operation";
import { errorResponse, internalError } from "./respond";

export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export type Method = (typeof METHODS)[number];

export interface RequestContext {
  req: ApiRequest;
  url: URL;
  /** Path parameters, decoded; an operation's `params` parsers may replace them with typed values. */
  params: Record<string, string>;
  requestId: string;
  ip: string | null;
  /** Set by `authed` once the bearer token is verified; read by the request log line. */
  principal?: Principal;
  json<S extends z.ZodType>(schema: S): Promise<z.output<S>>;
}

export type Handler = (ctx: RequestContext) => Promise<ApiResponse>;

/** A route method on the transport-neutral request: what the fast lane dispatches to. */
export type ApiEntry = (req: ApiRequest, params: Record<string, string>) => Promise<ApiResponse>;
export const API_HANDLER = Symbol("apiHandler");

type NextContext = { params: Promise<Record<string, string | string[]>> };
type NextHandler = (req: Request, context?: NextContext) => Promise<Response>;

/** What a route file's exports carry for the API document: the path's operations by method. */
export const ROUTE_DOC = Symbol("routeDoc");
export type RouteDoc = Partial<Record<Exclude<Method, "OPTIONS">, OperationDoc | null>>;
/** The `Allow` value of a route (what its 405 answers list), for methods no export exists for. */
export const ROUTE_ALLOW = Symbol("routeAllow");
export type RouteExport = NextHandler & { [API_HANDLER]: ApiEntry; [ROUTE_DOC]?: RouteDoc; [ROUTE_ALLOW]?: string };

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function requestIdOf(req: ApiRequest): string {
  const given = req.headers.get("x-request-id");
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}

async function flatParams(context: NextContext | undefined): Promise<Record<string, string>> {
  const raw = (await context?.params) ?? {};
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : v]));
}

/** One handler exported for both transports: Next's route signature, and the fast lane's entry. */
export function routeExport(entry: ApiEntry, meta: { doc?: RouteDoc; allow?: string } = {}): RouteExport {
  const forNext: NextHandler = async (req, context) => toWebResponse(await entry(fromWebRequest(req), await flatParams(context)));
  return Object.assign(forNext, { [API_HANDLER]: entry, [ROUTE_DOC]: meta.doc, [ROUTE_ALLOW]: meta.allow });
}

export function methodNotAllowed(method: string, allow: string): ApiResponse {
  return json({ detail: `Method "${method}" not allowed.` }, 405, { allow });
}

/** Runs one handler with the shared request plumbing. */
export async function handle(req: ApiRequest, params: Record<string, string>, handler: Handler): Promise<ApiResponse> {
  const started = performance.now();
  const requestId = requestIdOf(req);
  const ctx: RequestContext = {
    req,
    url: req.url,
    params,
    requestId,
    ip: clientIp(req.headers),
    json: async (schema) => parseInput(schema, await readJson(req)),
  };
  let response: ApiResponse;
  const { counter, result } = countStatements(async () => preflight(req) ?? (await handler(ctx)));
  try {
    response = await result;
  } catch (error) {
    const known = asAppError(error);
    if (known) response = errorResponse(known);
    else if (pgErrorCode(error).code?.startsWith("22")) {
      // Postgres "data exception" (bad encoding, value out of range…): the input was at fault,
      // and a validator let it through. Answer 400 and log it so the validator gets fixed.
      log.warn("data exception from input", { request_id: requestId, path: req.url.pathname, error: describe(error) });
      response = json({ detail: "Invalid input." }, 400);
    } else {
      log.error("unhandled error", { request_id: requestId, path: req.url.pathname, error: describe(error) });
      response = internalError(requestId);
    }
  }
  response.headers["x-request-id"] = requestId;
  response.headers["cache-control"] ??= "no-store";
  applyCors(req, response);
  log.info("request", {
    method: req.method,
    path: loggedPath(req.url),
    status: response.status,
    duration_ms: Math.round((performance.now() - started) * 10) / 10,
    request_id: requestId,
    user_id: ctx.principal?.userId ?? null,
    tenant_id: ctx.principal?.tenantId ?? null,
    db_statements: counter.statements,
  });
  return response;
}

/** Error text for logs: name, message and the top stack frames; never returned to a caller. */
function describe(error: unknown): Record<string, unknown> {
  if (error instanceof Error)
    return { name: error.name, message: error.message, stack: error.stack?.split("\n").slice(0, 6).join("\n") };
  return { value: String(error) };
}

/**
 * Runs an operation's declared steps before its handler: a client-address throttle, auth, path
 * parameters, guard, a per-user throttle, body. A per-user scope counts only callers who got past
 * authentication and the role guard (as DRF throttles after its permission checks), and before
 * the body, so malformed requests are counted too.
 */
function run(op: Operation): Handler {
  const userScope = op.throttle && isUserScope(op.throttle) ? op.throttle : undefined;
  const clientScope = op.throttle && !isUserScope(op.throttle) ? op.throttle : undefined;
  // A route definition error, raised when the route module loads rather than on a request.
  if (userScope && !op.auth) throw new Error(`throttle "${userScope}" counts per user: the operation "${op.summary}" needs auth`);
  return async (ctx) => {
    if (clientScope) await throttle(clientScope, ctx.ip);
    if (op.auth) ctx.principal = await principalFromBearer(ctx.req.headers);
    if (op.params) for (const [name, parse] of Object.entries(op.params)) (ctx.params as Record<string, unknown>)[name] = parse(ctx.params[name] ?? "");
    if (op.guard) await op.guard(ctx);
    if (userScope) await throttleUser(userScope, ctx.principal!);
    const body = op.body ? await ctx.json(op.body) : undefined;
    return op.handler(Object.assign(ctx, { body }));
  };
}

/** An entry that runs `handler` with the shared plumbing. */
export const entryOf = (handler: Handler): ApiEntry => (req, params) => handle(req, params, handler);

/**
 * Builds the exports of a route file: the given methods, DRF's 405 for the rest, and OPTIONS
 * answering with the allowed methods (CORS preflights are answered by `handle`). Methods given
 * as an `operation(...)` are documented in GET /api/schema/; a bare handler is listed there as
 * undocumented (and the schema test fails on it).
 */
export function restRoute(handlers: Partial<Record<Exclude<Method, "OPTIONS">, Handler | Operation>>): Record<Method, RouteExport> {
  const allowed = [...Object.keys(handlers), "OPTIONS"].join(", ");
  const doc: RouteDoc = {};
  for (const method of METHODS) {
    const given = method === "OPTIONS" ? undefined : handlers[method];
    if (method !== "OPTIONS" && given) doc[method] = isOperation(given) ? given : null;
  }
  const out = {} as Record<Method, RouteExport>;
  for (const method of METHODS) {
    const given = method === "OPTIONS" ? undefined : handlers[method];
    const handler: Handler =
      method === "OPTIONS"
        ? async () => json({}, 200, { allow: allowed })
        : given === undefined
          ? async () => methodNotAllowed(method, allowed)
          : isOperation(given)
            ? run(given)
            : given;
    out[method] = routeExport(entryOf(handler), { doc, allow: allowed });
  }
  return out;
}

/** Requires a valid bearer token; the handler receives the principal. */
export function authed(handler: (ctx: RequestContext & { principal: Principal }) => Promise<ApiResponse>): Handler {
  return async (ctx) => {
    ctx.principal = await principalFromBearer(ctx.req.headers);
    return handler(ctx as RequestContext & { principal: Principal });
  };
}
