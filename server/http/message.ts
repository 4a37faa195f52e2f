/**
 * Requests and responses as the API glue sees them, whichever server delivered the request.
 *
 * The same route handlers run behind two transports: Next's route handlers (`next dev`, and the
 * production server when the fast lane is off) hand us a Web `Request` and want a `Response`; the
 * fast lane (server/http/fast-lane.ts) hands us Node's request and writes Node's response. Both
 * adapt to these two small shapes, so a request costs no Web `Request`/`Response`/`Headers` objects
 * on the fast lane (a few microseconds each, which matter at tens of thousands of requests a
 * second).
 */
import { AppError } from "../services/errors";

export const MAX_BODY_BYTES = 1024 * 1024;

export const tooLarge = () => new AppError("payload_too_large", "Request body is too large.");

/** Read access to request headers (a Web `Headers`, or Node's header object behind a wrapper). */
export interface HeaderReader {
  get(name: string): string | null;
}

export interface ApiRequest {
  readonly method: string;
  /** The URL as the client addressed it (Host header, and the scheme a proxy reports). */
  readonly url: URL;
  readonly headers: HeaderReader;
  /** The body as text: at most MAX_BODY_BYTES (413 beyond), read once. */
  readBody(): Promise<string>;
  /** The same request as a Web `Request` (for libraries that speak fetch, such as tRPC's adapter). */
  toWebRequest(body?: string): Request;
}

export interface ApiResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  /** JSON text, nothing, or a stream (CSV export; tRPC answers pass through as they are). */
  body: string | null | ReadableStream<Uint8Array>;
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): ApiResponse {
  return { status, headers: { ...headers, "content-type": "application/json" }, body: body === undefined ? null : JSON.stringify(body) };
}

export function empty(status: number, headers: Record<string, string> = {}): ApiResponse {
  return { status, headers, body: null };
}

/** A Web `Response` (tRPC's fetch adapter answers with one) as an ApiResponse; its body streams through. */
export function fromWebResponse(response: Response): ApiResponse {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  return { status: response.status, headers, body: response.body };
}

export function toWebResponse(response: ApiResponse): Response {
  return new Response(response.body, { status: response.status, headers: response.headers });
}

const PLAIN_HOST = /^[A-Za-z0-9.:[\]-]+$/;

/**
 * The URL as the client addressed it: the Host header (when it is a plain host[:port]) and the
 * scheme a proxy reports, so links such as a page's `next` point where the caller can follow them.
 */
export function withPublicOrigin(url: URL, headers: HeaderReader): URL {
  const host = headers.get("host");
  if (host && PLAIN_HOST.test(host)) url.host = host;
  const proto = headers.get("x-forwarded-proto");
  if (proto === "https" || proto === "http") url.protocol = `${proto}:`;
  return url;
}

/** A Web `Request` as an ApiRequest (Next's route handlers). */
export function fromWebRequest(req: Request): ApiRequest {
  let read: Promise<string> | undefined;
  return {
    method: req.method,
    url: withPublicOrigin(new URL(req.url), req.headers),
    headers: req.headers,
    readBody: () => (read ??= readWebBody(req)),
    toWebRequest: (body) => (body === undefined ? req : new Request(req.url, { method: req.method, headers: req.headers, body })),
  };
}

async function readWebBody(req: Request): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
