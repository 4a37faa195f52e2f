/**
 * Role ranks (principal.ts): ADMIN > ANALYST > VIEWER, the strongest role a user holds applies,
 * and requireRole(…allowed) lets in anyone at or above the weakest allowed role.
 */
import { describe, expect, it } from "vitest";
import { principalWith } from "../../../e2e/support/principal";
import { AppError } from "../errors";
import { hasRole, requireRole } from "./principal";

const allowed = (fn: () => void): boolean => {
  try {
    fn();
    return true;
  } catch (error) {
    if (error instanceof AppError && error.kind === "forbidden") return false;
    throw error;
  }
};

describe("role ranks", () => {
  it("a stronger role includes the weaker ones", () => {
    expect(hasRole(principalWith(["ADMIN"]), "VIEWER")).toBe(true);
    expect(hasRole(principalWith(["ADMIN"]), "ANALYST")).toBe(true);
    expect(hasRole(principalWith(["ANALYST"]), "VIEWER")).toBe(true);
    expect(hasRole(principalWith(["ANALYST"]), "ADMIN")).toBe(false);
    expect(hasRole(principalWith(["VIEWER"]), "ANALYST")).toBe(false);
    expect(hasRole(principalWith([]), "VIEWER")).toBe(false);
  });

  it("the strongest held role applies, in any order", () => {
    expect(hasRole(principalWith(["VIEWER", "ADMIN"]), "ADMIN")).toBe(true);
    expect(hasRole(principalWith(["ADMIN", "VIEWER"]), "ADMIN")).toBe(true);
  });

  it("requireRole admits from the weakest allowed role up, and answers 403 below it", () => {
    expect(allowed(() => requireRole(principalWith(["ANALYST"]), "ADMIN", "ANALYST"))).toBe(true);
    expect(allowed(() => requireRole(principalWith(["ADMIN"]), "ADMIN", "ANALYST"))).toBe(true);
    expect(allowed(() => requireRole(principalWith(["VIEWER"]), "ADMIN", "ANALYST"))).toBe(false);
    expect(allowed(() => requireRole(principalWith(["VIEWER"]), "VIEWER"))).toBe(true);
    expect(allowed(() => requireRole(principalWith([]), "VIEWER"))).toBe(false);
  });
});
