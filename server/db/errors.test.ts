/**
 * How database failures are recognised (errors.ts): "unreachable right now" (a 503 with
 * Retry-After, retried later) must be told apart from "this statement is wrong" (a bug, or a
 * constraint the service answers itself), through drizzle's wrapper and Node's AggregateError.
 */
import { DrizzleQueryError } from "drizzle-orm/errors";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable, isUniqueViolation, pgErrorCode } from "./errors";

/** A server error as postgres.js raises it (its constructor copies the server's fields). */
const serverError = (code: string, fields: Record<string, string> = {}): Error =>
  new (postgres.PostgresError as unknown as new (x: object) => Error)({ message: `server said ${code}`, code, ...fields });
/** A socket-level failure as postgres.js and Node raise it: an Error with a string code. */
const socketError = (code: string): Error => Object.assign(new Error(`connect ${code} 127.0.0.1:5432`), { code, errno: code });
/** What drizzle throws around either. */
const wrapped = (cause: Error) => new DrizzleQueryError("select 1", [], cause);

describe("database unavailable", () => {
  it.each(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENOTFOUND", "EAI_AGAIN", "CONNECT_TIMEOUT", "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED"])(
    "socket code %s, bare and inside drizzle's wrapper",
    (code) => {
      expect(isDatabaseUnavailable(socketError(code))).toBe(true);
      expect(isDatabaseUnavailable(wrapped(socketError(code)))).toBe(true);
    },
  );

  it.each([
    ["08006", "connection failure"],
    ["08001", "cannot connect"],
    ["57P01", "admin shutdown"],
    ["57P02", "crash shutdown"],
    ["57P03", "cannot connect now (starting up)"],
    ["53300", "too many connections"],
  ])("SQLSTATE %s (%s)", (code) => {
    expect(isDatabaseUnavailable(wrapped(serverError(code)))).toBe(true);
  });

  it("a refused dual-stack connect: Node's AggregateError of the per-address errors", () => {
    const refused = new AggregateError([socketError("ECONNREFUSED"), socketError("ECONNREFUSED")], "connect failed");
    expect(isDatabaseUnavailable(refused)).toBe(true);
    expect(isDatabaseUnavailable(wrapped(refused))).toBe(true);
  });

  it.each([
    ["23505", "unique violation"],
    ["23503", "foreign key violation"],
    ["42P01", "undefined table"],
    ["42501", "insufficient privilege (RLS)"],
    ["22P02", "invalid text representation"],
    ["57014", "query cancelled (statement timeout): the statement, not the server"],
    ["57P04", "database dropped: retrying will not bring it back"],
    ["40001", "serialization failure"],
  ])("not for SQLSTATE %s (%s)", (code) => {
    expect(isDatabaseUnavailable(wrapped(serverError(code)))).toBe(false);
  });

  it("not for errors without a code, codes of other kinds, or non-errors", () => {
    expect(isDatabaseUnavailable(new Error("ECONNREFUSED in the message only"))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error("x"), { code: "ERR_INVALID_ARG_TYPE" }))).toBe(false);
    expect(isDatabaseUnavailable(new AggregateError([new Error("a"), serverError("23505")]))).toBe(false);
    for (const value of [undefined, null, "ECONNREFUSED", 42, { code: 57 }]) expect(isDatabaseUnavailable(value)).toBe(false);
  });

  it("follows a chain of causes, but a bounded one (a cycle cannot hang a request)", () => {
    let deep: Error = socketError("ECONNREFUSED");
    for (let i = 0; i < 3; i++) deep = new Error(`level ${i}`, { cause: deep });
    expect(isDatabaseUnavailable(deep)).toBe(true);
    const cycle: Error & { cause?: unknown } = new Error("cycle");
    cycle.cause = cycle;
    expect(isDatabaseUnavailable(cycle)).toBe(false);
  });
});

describe("Postgres error codes", () => {
  it("reads the SQLSTATE and constraint through drizzle's wrapper (postgres.js and PGlite spellings)", () => {
    expect(pgErrorCode(wrapped(serverError("23505", { constraint_name: "users_email_key" })))).toEqual({ code: "23505", constraint: "users_email_key" });
    expect(pgErrorCode(wrapped(serverError("23505", { constraint: "users_email_key" })))).toEqual({ code: "23505", constraint: "users_email_key" });
  });

  it("ignores codes that are not SQLSTATEs (socket codes) and errors without one", () => {
    expect(pgErrorCode(wrapped(socketError("ECONNREFUSED")))).toEqual({});
    expect(pgErrorCode(new Error("plain"))).toEqual({});
  });

  it("a unique violation matches any constraint, or only the named one", () => {
    const duplicate = wrapped(serverError("23505", { constraint_name: "users_email_key" }));
    expect(isUniqueViolation(duplicate)).toBe(true);
    expect(isUniqueViolation(duplicate, "users_email_key")).toBe(true);
    expect(isUniqueViolation(duplicate, "invitations_pending_email")).toBe(false);
    expect(isUniqueViolation(wrapped(serverError("23503", { constraint_name: "users_email_key" })), "users_email_key")).toBe(false);
  });
});
