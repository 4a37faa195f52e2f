/**
 * Domain errors as REST answers (respond.ts): the status of every kind, DRF's body shapes (field
 * errors alone, or `detail` with an optional `code`) and the headers a client acts on.
 */
import { describe, expect, it } from "vitest";
import { AppError, asAppError, fieldError, notAuthenticated, type ErrorKind } from "../services/errors";
import { errorResponse, STATUS } from "./respond";

const body = (error: AppError) => JSON.parse(errorResponse(error).body as string);

describe("REST error answers", () => {
  it.each<[ErrorKind, number]>([
    ["validation", 400],
    ["unauthenticated", 401],
    ["forbidden", 403],
    ["not_found", 404],
    ["conflict", 409],
    ["payload_too_large", 413],
    ["unsupported_media_type", 415],
    ["throttled", 429],
    ["upstream", 502],
    ["unavailable", 503],
    ["timeout", 504],
  ])("%s is %i", (kind, status) => {
    expect(STATUS[kind]).toBe(status);
    expect(errorResponse(new AppError(kind, "x")).status).toBe(status);
  });

  it("field errors are the whole body, as DRF's serializer errors", () => {
    expect(body(fieldError("email", "Enter a valid email address."))).toEqual({ email: ["Enter a valid email address."] });
  });

  it("other errors are `detail`, with `code` only when there is one", () => {
    expect(body(new AppError("forbidden", "Nope."))).toEqual({ detail: "Nope." });
    expect(body(notAuthenticated())).toEqual({ detail: "Authentication credentials were not provided.", code: "not_authenticated" });
  });

  it("a 401 challenges for a bearer token; nothing else does", () => {
    expect(errorResponse(notAuthenticated()).headers["www-authenticate"]).toBe('Bearer realm="api"');
    expect(errorResponse(new AppError("forbidden", "Nope.")).headers).not.toHaveProperty("www-authenticate");
  });

  it("an unreachable database is a 503 that says when to retry", () => {
    const res = errorResponse(asAppError(Object.assign(new Error("connect"), { code: "ECONNREFUSED" }))!);
    expect(res.status).toBe(503);
    expect(res.headers["retry-after"]).toMatch(/^[1-9]\d*$/);
    expect(JSON.parse(res.body as string)).toEqual({ detail: "Service temporarily unavailable." });
  });
});
