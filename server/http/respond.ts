/** JSON responses and the one place domain errors become DRF-shaped HTTP answers. */
import { type AppError, type ErrorKind } from "../services/errors";

export const STATUS: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  throttled: 429,
  upstream: 502,
  unavailable: 503,
  timeout: 504,
};

export function json(body: unknown, status = 200, headers?: HeadersInit): Response {
  const h = new Headers(headers);
  h.set("content-type", "application/json");
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: h });
}

export function empty(status: number, headers?: HeadersInit): Response {
  return new Response(null, { status, headers });
}

export function errorResponse(error: AppError): Response {
  const status = STATUS[error.kind];
  const body = error.extra.fields ?? { detail: error.detail, ...(error.extra.code ? { code: error.extra.code } : {}) };
  const headers = new Headers();
  if (status === 401) headers.set("www-authenticate", 'Bearer realm="api"');
  if (error.extra.retryAfterSeconds !== undefined) headers.set("retry-after", String(error.extra.retryAfterSeconds));
  return json(body, status, headers);
}

export function internalError(requestId: string): Response {
  return json({ detail: "Internal server error.", request_id: requestId }, 500);
}
