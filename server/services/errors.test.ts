/**
 * The domain meaning of the errors a request can end with (errors.ts): both transports map
 * asAppError's answer, so what it classifies here is what REST and tRPC answer.
 */
import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, expect, it } from "vitest";
import { AppError, asAppError, fieldError, fieldErrors, notFound, SERVICE_UNAVAILABLE, UNAVAILABLE_RETRY_AFTER_SECONDS } from "./errors";

const refused = () => Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });

describe("asAppError", () => {
  it("passes a domain error through unchanged", () => {
    const error = fieldError("email", "Enter a valid email address.");
    expect(asAppError(error)).toBe(error);
  });

  it("turns an unreachable database into a 503 with Retry-After, never a 500", () => {
    for (const cause of [refused(), new DrizzleQueryError("select 1", [], refused())]) {
      const error = asAppError(cause);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ kind: "unavailable", detail: SERVICE_UNAVAILABLE, extra: { retryAfterSeconds: UNAVAILABLE_RETRY_AFTER_SECONDS } });
      // The driver's text (host, port) is not part of what the caller sees.
      expect(error!.detail).not.toContain("127.0.0.1");
    }
  });

  it("leaves everything else to the transport as a bug (null: logged, answered 500)", () => {
    expect(asAppError(new TypeError("cannot read properties of undefined"))).toBeNull();
    const duplicate = Object.assign(new Error("duplicate key"), { code: "23505" });
    expect(asAppError(new DrizzleQueryError("insert …", [], duplicate))).toBeNull();
    expect(asAppError("a string")).toBeNull();
    expect(asAppError(undefined)).toBeNull();
  });
});

describe("error constructors", () => {
  it("fieldErrors leads with the first field's first message", () => {
    const error = fieldErrors({ password: ["Too short.", "Too common."], email: ["Required."] });
    expect(error).toMatchObject({ kind: "validation", detail: "Too short.", extra: { fields: { password: ["Too short.", "Too common."], email: ["Required."] } } });
    expect(fieldErrors({}).detail).toBe("Invalid input.");
  });

  it("notFound answers DRF's default detail unless told otherwise", () => {
    expect(notFound()).toMatchObject({ kind: "not_found", detail: "Not found." });
    expect(notFound("Invitation not found.").detail).toBe("Invitation not found.");
  });
});
