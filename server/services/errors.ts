/**
 * Domain errors. Services throw these; the REST glue (server/http/respond.ts) and the tRPC
 * error formatter (server/api/trpc.ts) each map them once, so both transports agree.
 */
import { isDatabaseUnavailable } from "../db/errors";

export type ErrorKind =
  | "validation" // 400
  | "unauthenticated" // 401
  | "forbidden" // 403
  | "not_found" // 404
  | "conflict" // 409
  | "payload_too_large" // 413
  | "unsupported_media_type" // 415
  | "throttled" // 429
  | "upstream" // 502
  | "unavailable" // 503
  | "timeout"; // 504

export type FieldErrors = Record<string, string[]>;

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    /** Safe to show to the caller: never provider text, internal text or a secret. */
    readonly detail: string,
    readonly extra: { fields?: FieldErrors; code?: string; retryAfterSeconds?: number } = {},
  ) {
    super(detail);
    this.name = "AppError";
  }
}

export const fieldError = (field: string, message: string) =>
  new AppError("validation", message, { fields: { [field]: [message] } });
export const fieldErrors = (fields: FieldErrors) =>
  new AppError("validation", Object.values(fields)[0]?.[0] ?? "Invalid input.", { fields });
export const badRequest = (detail: string, code?: string) => new AppError("validation", detail, { code });
export const notFound = (detail = "Not found.") => new AppError("not_found", detail);
export const forbidden = (detail = "You do not have permission to perform this action.") =>
  new AppError("forbidden", detail);
export const notAuthenticated = () =>
  new AppError("unauthenticated", "Authentication credentials were not provided.", { code: "not_authenticated" });
export const tokenNotValid = (detail = "Given token not valid for any token type") =>
  new AppError("unauthenticated", detail, { code: "token_not_valid" });

export const SERVICE_UNAVAILABLE = "Service temporarily unavailable.";
/** How long a client should wait before retrying while the database is unreachable. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/**
 * The domain meaning of any error a request can end with: an AppError as is; the database being
 * unreachable (server/db/errors.ts) as a 503 with Retry-After, so an outage is never a 500 or a
 * hang; anything else is null (a bug: logged and answered 500 by the transport).
 */
export function asAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  if (isDatabaseUnavailable(error)) return new AppError("unavailable", SERVICE_UNAVAILABLE, { retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS });
  return null;
}
