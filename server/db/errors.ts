/** Recognises Postgres errors through drizzle's wrapper (the driver error is the `cause`). */
export function pgErrorCode(error: unknown): { code?: string; constraint?: string } {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current; depth++) {
    const e = current as { code?: unknown; constraint_name?: unknown; constraint?: unknown; cause?: unknown };
    if (typeof e.code === "string" && /^[0-9A-Z]{5}$/.test(e.code)) {
      const constraint = typeof e.constraint_name === "string" ? e.constraint_name : typeof e.constraint === "string" ? e.constraint : undefined;
      return { code: e.code, constraint };
    }
    current = e.cause;
  }
  return {};
}

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const { code, constraint: name } = pgErrorCode(error);
  return code === "23505" && (constraint === undefined || name === constraint);
}

/**
 * Failures that say "the database cannot be reached right now", not "this statement is wrong":
 * the socket could not connect or was cut (postgres.js and Node codes), or the server is shutting
 * down, starting up or out of connection slots (SQLSTATE class 08, 57P01-57P03, 53300). Callers
 * answer these with a 503 and retry later; they are never a bug in the request.
 */
const UNREACHABLE_DRIVER_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
]);
const UNAVAILABLE_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123]|53300)$/;

export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    const e = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof e.code === "string" && (UNREACHABLE_DRIVER_CODES.has(e.code) || UNAVAILABLE_SQLSTATE.test(e.code))) return true;
    // Node reports a refused dual-stack connect as an AggregateError of the per-address errors.
    if (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner))) return true;
    current = e.cause;
  }
  return false;
}
