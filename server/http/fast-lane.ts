/**
 * The API fast lane of the production server (server/cli/serve.ts): `/api/**` requests go straight
 * from Node's HTTP server to the handlers that `app/api/**\/route.ts` export (their API_HANDLER
 * entry, see route.ts), routed by find-my-way over the table generated from the app/api tree
 * (app/api/route-table.ts). Next's request pipeline costs about a millisecond of CPU per request,
 * which made every API route slower than the Django original; pages, next-auth and assets stay
 * with Next.
 *
 * Two things are answered here for every /api request whichever lane serves it (so both lanes agree
 * and Next never sees them): a path that cannot be decoded (bad percent-encoding, NUL, overlong)
 * gets a JSON 400, and a method no route has an export for (TRACE, PROPFIND…) gets the JSON 405 or
 * the JSON 404 of an unknown path. Both go through the same `handle()` as any request, so they
 * carry a request id and write a log line.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import FindMyWay, { type HTTPMethod } from "find-my-way";
import { AppError } from "../services/errors";
import type { ApiRoute } from "./api-route";
import { json, MAX_BODY_BYTES, tooLarge, withPublicOrigin, type ApiRequest, type ApiResponse, type HeaderReader } from "./message";
import { API_HANDLER, handle, methodNotAllowed, ROUTE_ALLOW, type ApiEntry } from "./route";
import { API_HEADERS } from "./security-headers";
import { log } from "../infra/log";

/** Methods route files export; HEAD is answered by GET without its body, as Next does. */
const ROUTED = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);
/** Longer than any real path (a tRPC batch of 20 calls names them all in one segment), shorter than an attack. */
const MAX_PATH = 4096;
const MAX_SEGMENT = 1024;
const SECURITY_HEADERS: Record<string, string> = Object.fromEntries(API_HEADERS.map(({ key, value }) => [key.toLowerCase(), value]));

export const isApiPath = (path: string) => path === "/api" || path.startsWith("/api/");

/** Why a request path cannot be served (a message for the 400), or null when it can. */
export function pathProblem(rawPath: string): string | null {
  if (rawPath.length > MAX_PATH) return "Request path is too long.";
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return "Malformed request path.";
  }
  if (decoded.includes("\u0000")) return "Malformed request path.";
  for (const segment of decoded.split("/")) if (segment.length > MAX_SEGMENT) return "Request path is too long.";
  return null;
}

/** Node's request headers behind the HeaderReader interface (names arrive lower-cased). */
function nodeHeaders(req: IncomingMessage): HeaderReader {
  return {
    get(name) {
      const value = req.headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
    },
  };
}

function webHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  return headers;
}

/**
 * A body refused as too large is discarded as it arrives (not buffered), so the 413 reaches a
 * client that is still sending and the connection stays usable; past DRAIN_LIMIT the connection
 * is dropped instead (a client pushing that much is not waiting for an answer).
 */
const DRAIN_LIMIT = 16 * MAX_BODY_BYTES;

function discardRest(req: IncomingMessage, onGiveUp: () => void): void {
  let seen = 0;
  req.removeAllListeners("data");
  req.on("data", (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > DRAIN_LIMIT) {
      onGiveUp();
      req.destroy();
    }
  });
  req.resume();
}

/** The body as text, up to MAX_BODY_BYTES (413 beyond, also when Content-Length announces more). */
function readNodeBody(req: IncomingMessage, onGiveUp: () => void): Promise<string> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    if (declared > DRAIN_LIMIT) onGiveUp();
    else discardRest(req, onGiveUp);
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
      discardRest(req, onGiveUp);
      reject(tooLarge());
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("aborted", () => reject(new AppError("validation", "The request body was cut short.")));
    req.on("error", () => reject(new AppError("validation", "The request body was cut short.")));
  });
}

interface NodeExchange {
  api: ApiRequest;
  /** Set when a refused body was too large even to discard: the connection is closed after the answer. */
  close: boolean;
}

function exchange(req: IncomingMessage): NodeExchange {
  const headers = nodeHeaders(req);
  const url = withPublicOrigin(new URL(req.url ?? "/", "http://localhost"), headers);
  let body: Promise<string> | undefined;
  const ex: NodeExchange = {
    close: false,
    api: {
      method: req.method ?? "GET",
      url,
      headers,
      readBody: () => (body ??= readNodeBody(req, () => (ex.close = true))),
      toWebRequest: (text) => new Request(url.href, { method: req.method, headers: webHeaders(req), body: text || undefined }),
    },
  };
  return ex;
}

function write(res: ServerResponse, out: ApiResponse, { headOnly, close }: { headOnly: boolean; close: boolean }): void {
  const headers: Record<string, string | number> = { ...SECURITY_HEADERS, ...out.headers };
  if (close) headers.connection = "close";
  if (typeof out.body === "string") {
    headers["content-length"] = Buffer.byteLength(out.body);
    res.writeHead(out.status, headers);
    res.end(headOnly ? undefined : out.body);
  } else if (out.body === null) {
    res.writeHead(out.status, headers);
    res.end();
  } else {
    res.writeHead(out.status, headers);
    if (headOnly) {
      void out.body.cancel();
      res.end();
    } else Readable.fromWeb(out.body as WebReadableStream<Uint8Array>).pipe(res);
  }
}

export interface ApiDispatcher {
  /**
   * Answers an /api request. Returns false when the request is Next's to answer (the fast lane is
   * off, or the route has no fast-lane entry): nothing was written then.
   */
  dispatch(req: IncomingMessage, res: ServerResponse): boolean;
}

export function createApiDispatcher(routes: ApiRoute[], { fastLane }: { fastLane: boolean }): ApiDispatcher {
  const router = FindMyWay({ ignoreTrailingSlash: true, caseSensitive: true, maxParamLength: MAX_PATH });
  const fallback = routes.find((r) => r.kind === "fallback");
  for (const route of routes) {
    router.on([...ROUTED] as HTTPMethod[], route.pattern, () => {}, route);
    if (route.kind === "fallback") router.on([...ROUTED] as HTTPMethod[], "/api", () => {}, route);
  }

  const run = (req: IncomingMessage, res: ServerResponse, entry: ApiEntry, params: Record<string, string>) => {
    const ex = exchange(req);
    entry(ex.api, params)
      .then((out) => write(res, out, { headOnly: req.method === "HEAD", close: ex.close }))
      .catch((error: unknown) => {
        // handle() answers every error itself; this is a failure to write the answer.
        log.error("fast lane failed to answer", { path: ex.api.url.pathname, error: error instanceof Error ? error.message : String(error) });
        if (!res.headersSent) res.writeHead(500, { ...SECURITY_HEADERS, "content-type": "application/json" }).end('{"detail":"Internal server error."}');
        else res.destroy();
      });
  };

  const answer = (req: IncomingMessage, res: ServerResponse, params: Record<string, string>, respond: () => Promise<ApiResponse>) =>
    run(req, res, (api, p) => handle(api, p, respond), params);

  return {
    dispatch(req, res) {
      const raw = req.url ?? "/";
      const query = raw.indexOf("?");
      const path = query === -1 ? raw : raw.slice(0, query);
      const problem = pathProblem(path);
      if (problem) {
        answer(req, res, {}, async () => json({ detail: problem }, 400));
        return true;
      }
      const method = req.method === "HEAD" ? "GET" : (req.method ?? "GET");
      const found = router.find(ROUTED.has(method) ? (method as HTTPMethod) : "GET", path);
      const route = (found?.store as ApiRoute | undefined) ?? fallback;
      if (!route) return false;
      const params = Object.fromEntries(Object.entries(found?.params ?? {}).filter(([k]) => k !== "*")) as Record<string, string>;
      if (!ROUTED.has(method)) {
        // No route file exports this method: the unknown path's 404, or the route's 405 with its Allow.
        const allow = (route.module.GET as { [ROUTE_ALLOW]?: string } | undefined)?.[ROUTE_ALLOW];
        const fallbackGet = (fallback?.module.GET as { [API_HANDLER]?: ApiEntry } | undefined)?.[API_HANDLER];
        if (route.kind === "fallback" || !allow) {
          if (fallbackGet) run(req, res, fallbackGet, {});
          else answer(req, res, {}, async () => json({ detail: "Not found." }, 404));
        } else answer(req, res, params, async () => methodNotAllowed(req.method ?? "", allow));
        return true;
      }
      if (!fastLane) return false;
      const entry = (route.module[method] as { [API_HANDLER]?: ApiEntry } | undefined)?.[API_HANDLER];
      if (!entry) return false;
      run(req, res, entry, params);
      return true;
    },
  };
}

