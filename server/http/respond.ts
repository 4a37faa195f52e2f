/** JSON responses and the one place domain errors become DRF-shaped HTTP answers. */
import { type AppError, type ErrorKind } from "../services/errors";
import { json, type ApiResponse } from "./message";

export { empty, json } from "./message";

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

export function errorResponse(error: AppError): ApiResponse {
  const status = STATUS[error.kind];
  const body = error.extra.fields ?? { detail: error.detail, ...(error.extra.code ? { code: error.extra.code } : {}) };
  const headers: Record<string, string> = {};
  if (status === 401) headers["www-authenticate"] = 'Bearer realm="api"';
  if (error.extra.retryAfterSeconds !== undefined) headers["retry-after"] = String(error.extra.retryAfterSeconds);
  return json(body, status, headers);
}

export function internalError(requestId: string): ApiResponse {
  return json({ detail: "Internal server error.", request_id: requestId }, 500);
}
