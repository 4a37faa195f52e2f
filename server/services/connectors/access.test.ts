/**
 * Who may do what with connectors (access.ts, spec/integrations.md "Roles"): everyone reads
 * status and jobs, an ANALYST may also sync, everything that changes a connection is ADMIN's.
 */
import { describe, expect, it } from "vitest";
import { principalWith } from "../../../e2e/support/principal";
import type { RoleName } from "../../db/schema";
import { AppError } from "../errors";
import { authorize, type ConnectorAction } from "./access";

const may = (roles: RoleName[], action: ConnectorAction): boolean => {
  try {
    authorize(principalWith(roles), action);
    return true;
  } catch (error) {
    if (error instanceof AppError && error.kind === "forbidden") return false;
    throw error;
  }
};

const MATRIX: [ConnectorAction, admin: boolean, analyst: boolean, viewer: boolean][] = [
  ["status", true, true, true],
  ["jobs", true, true, true],
  ["sync", true, true, false],
  ["start", true, false, false],
  ["callback", true, false, false],
  ["reconnect", true, false, false],
  ["disconnect", true, false, false],
  ["provision", true, false, false],
];

describe("connector permissions", () => {
  it.each(MATRIX)("%s: ADMIN %s, ANALYST %s, VIEWER %s", (action, admin, analyst, viewer) => {
    expect([may(["ADMIN"], action), may(["ANALYST"], action), may(["VIEWER"], action)]).toEqual([admin, analyst, viewer]);
  });
});
