/**
 * REST glue: every `app/api/**\/route.ts` exports the methods built here.
 *
 * The wrapper gives each request an id, answers unknown methods with DRF's 405, turns domain
 * errors into the spec's JSON, hides unexpected errors behind a generic 500, and writes one log
 * line per request.
 */
import { randomUUID } from "node:crypto";
import { type z } from "zod";
import { authenticateBearer } from "../services/accounts/auth";
import type { Principal } from "../services/accounts/principal";
import { asAppError } from "../services/errors";
import { parseInput } from "../services/validation";
import { countStatements } from "../db/statement-counter";
import { pgErrorCode } from "../db/errors";
import { log } from "../infra/log";
import { readJson } from "./body";
import { clientIp } from "./client-ip";
import { applyCors, preflight } from "./cors";
import { loggedPath } from "./logged-path";
import { isOperation, type Operation, type OperationDoc } from "./operation";
import { throttle } from "./rate-limit/throttle";
import { errorResponse, internalError, json } from "./respond";

export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
export type Method = (typeof METHODS)[number];

export interface RequestContext {
  req: Request;
  url: URL;
  params: Record<string, string>;
  requestId: string;
  ip: string | null;
  /** Set by `authed` once the bearer token is verified; read by the request log line. */
  principal?: Principal;
  json<S extends z.ZodType>(schema: S): Promise<z.output<S>>;
}

export type Handler = (ctx: RequestContext) => Promise<Response>;
type NextContext = { params: Promise<Record<string, string | string[]>> };
type NextHandler = (req: Request, context: NextContext) => Promise<Response>;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function requestIdOf(req: Request): string {
  const given = req.headers.get("x-request-id");
  return given && REQUEST_ID.test(given) ? given : randomUUID();
}

async function flatParams(context: NextContext | undefined): Promise<Record<string, string>> {
  const raw = (await context?.params) ?? {};
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : v]));
}

/**
 * The URL as the client addressed it (Host header, and the scheme a proxy reports), so links
 * such as a page's `next` point where the caller can follow them.
 */
function publicUrl(req: Request): URL {
  const url = new URL(req.url);
  const host = req.headers.get("host");
  if (host && /^[A-Za-z0-9.:[\]-]+$/.test(host)) url.host = host;
  const proto = req.headers.get("x-forwarded-proto");
  if (proto === "https" || proto === "http") url.protocol = `${proto}:`;
  return url;
}

export function methodNotAllowed(method: string, allow: string): Response {
  return json({ detail: `Method "${method}" not allowed.` }, 405, { allow });
}

/** Runs one handler with the shared request plumbing. */
export async function handle(req: Request, context: NextContext | undefined, handler: Handler): Promise<Response> {
  const started = performance.now();
  const requestId = requestIdOf(req);
  const url = publicUrl(req);
  const ctx: RequestContext = {
    req,
    url,
    params: {},
    requestId,
    ip: clientIp(req.headers),
    json: async (schema) => parseInput(schema, await readJson(req)),
  };
  let response: Response;
  const { counter, result } = countStatements(async () => {
    ctx.params = await flatParams(context);
    return preflight(req) ?? (await handler(ctx));
  });
  try {
    response = await result;
  } catch (error) {
    const known = asAppError(error);
    if (known) response = errorResponse(known);
    else if (pgErrorCode(error).code?.startsWith("22")) {
      // Postgres "data exception" (bad encoding, value out of range…): the input was at fault,
      // and a validator let it through. Answer 400 and log it so the validator gets fixed.
      log.warn("data exception from input", { request_id: requestId, path: url.pathname, error: describe(error) });
      response = json({ detail: "Invalid input." }, 400);
    } else {
      log.error("unhandled error", { request_id: requestId, path: url.pathname, error: describe(error) });
      response = internalError(requestId);
    }
  }
  response.headers.set("x-request-id", requestId);
  if (!response.headers.has("cache-control")) response.headers.set("cache-control", "no-store");
  applyCors(req, response);
  log.info("request", {
    method: req.method,
    path: loggedPath(url),
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

/** What a route file's exports carry for the API document: the path's operations by method. */
export const ROUTE_DOC = Symbol("routeDoc");
export type RouteDoc = Partial<Record<Exclude<Method, "OPTIONS">, OperationDoc | null>>;
type RouteExport = NextHandler & { [ROUTE_DOC]: RouteDoc };

/** Runs an operation's declared steps (throttle, auth, body) before its handler. */
function run(op: Operation): Handler {
  return async (ctx) => {
    if (op.throttle) await throttle(op.throttle, ctx.ip);
    if (op.auth) ctx.principal = await authenticateBearer(ctx.req.headers.get("authorization"));
    if (op.guard) await op.guard(ctx);
    const body = op.body ? await ctx.json(op.body) : undefined;
    return op.handler(Object.assign(ctx, { body }));
  };
}

/**
 * Builds the exports of a route file: the given methods, DRF's 405 for the rest, and OPTIONS
 * answering with the allowed methods (CORS preflights are answered by `handle`). Methods given
 * as an `operation(...)` are documented in GET /api/schema/; a bare handler is listed there as
 * undocumented (and the schema test fails on it).
 */
export function restRoute(
  handlers: Partial<Record<Exclude<Method, "OPTIONS">, Handler | Operation>>,
): Record<Method, RouteExport> {
  const allowed = [...Object.keys(handlers), "OPTIONS"].join(", ");
  const doc: RouteDoc = {};
  const out = {} as Record<Method, RouteExport>;
  for (const method of METHODS) {
    const given = method === "OPTIONS" ? undefined : handlers[method];
    if (method !== "OPTIONS" && given) doc[method] = isOperation(given) ? given : null;
    const handler: Handler =
      method === "OPTIONS"
        ? async () => json({}, 200, { allow: allowed })
        : given === undefined
          ? async () => methodNotAllowed(method, allowed)
          : isOperation(given)
            ? run(given)
            : given;
    out[method] = Object.assign((req: Request, context: NextContext) => handle(req, context, handler), { [ROUTE_DOC]: doc });
  }
  return out;
}

/** Requires a valid bearer token; the handler receives the principal. */
export function authed(handler: (ctx: RequestContext & { principal: Principal }) => Promise<Response>): Handler {
  return async (ctx) => {
    ctx.principal = await authenticateBearer(ctx.req.headers.get("authorization"));
    return handler(ctx as RequestContext & { principal: Principal });
  };
}
