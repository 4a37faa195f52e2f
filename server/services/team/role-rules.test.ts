/**
 * Role assignment rules (role-rules.ts), as assignRole and revokeRole apply them: only an ADMIN
 * changes roles, and a tenant never loses its last ADMIN assignment.
 */
import { describe, expect, it } from "vitest";
import { principalWith } from "../../../e2e/support/principal";
import { AppError } from "../errors";
import { assertKeepsAnAdmin, assertMayManageRoles, LAST_ADMIN } from "./role-rules";

const refusal = (fn: () => void): { kind: string; detail: string } | null => {
  try {
    fn();
    return null;
  } catch (error) {
    if (error instanceof AppError) return { kind: error.kind, detail: error.detail };
    throw error;
  }
};

describe("who may grant and revoke roles", () => {
  it("an ADMIN, whatever other roles they hold", () => {
    expect(refusal(() => assertMayManageRoles(principalWith(["ADMIN"])))).toBeNull();
    expect(refusal(() => assertMayManageRoles(principalWith(["ANALYST", "ADMIN"])))).toBeNull();
  });

  it("not an ANALYST, a VIEWER or a user with no role: 403", () => {
    for (const roles of [["ANALYST"], ["VIEWER"], ["ANALYST", "VIEWER"], []] as const)
      expect(refusal(() => assertMayManageRoles(principalWith([...roles])))?.kind).toBe("forbidden");
  });

  it("the superuser flag alone grants nothing: tenant rights come from role assignments", () => {
    expect(refusal(() => assertMayManageRoles(principalWith(["VIEWER"], { isSuperuser: true })))?.kind).toBe("forbidden");
  });
});

describe("the last-admin guard", () => {
  it("refuses to revoke the only ADMIN assignment, as a 400 with the contract's message", () => {
    expect(refusal(() => assertKeepsAnAdmin("ADMIN", 1))).toEqual({ kind: "validation", detail: LAST_ADMIN });
    // A count of 0 cannot happen for an existing ADMIN assignment; refusing is the safe answer.
    expect(refusal(() => assertKeepsAnAdmin("ADMIN", 0))?.kind).toBe("validation");
  });

  it("allows revoking an ADMIN assignment while another remains (an admin may step down)", () => {
    expect(refusal(() => assertKeepsAnAdmin("ADMIN", 2))).toBeNull();
    expect(refusal(() => assertKeepsAnAdmin("ADMIN", 7))).toBeNull();
  });

  it("never blocks other roles, even in a tenant with a single admin", () => {
    expect(refusal(() => assertKeepsAnAdmin("ANALYST", 1))).toBeNull();
    expect(refusal(() => assertKeepsAnAdmin("VIEWER", 1))).toBeNull();
  });
});
