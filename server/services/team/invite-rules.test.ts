/**
 * Invitation rules (invite-rules.ts), as preview, accept, resend and create apply them: which
 * state a token is in, which error each state gets and in what order, and who may invite where.
 */
import { describe, expect, it } from "vitest";
import { OTHER_TENANT, principalWith, TENANT } from "../../../e2e/support/principal";
import { AppError } from "../errors";
import {
  assertCanInvite,
  INVITE_ACCEPTED,
  INVITE_EXPIRED,
  INVITE_NOT_FOUND,
  INVITE_TOKEN_INVALID,
  inviteState,
  inviteTokenProblem,
  resendProblem,
} from "./invite-rules";

const now = new Date("2026-03-01T12:00:00.000Z");
const at = (offsetMs: number) => new Date(now.getTime() + offsetMs);
const HOUR = 3_600_000;

describe("invitation state", () => {
  it("is pending until it expires, and expired from the expiry instant on", () => {
    expect(inviteState({ acceptedAt: null, expiresAt: at(HOUR) }, now)).toBe("pending");
    expect(inviteState({ acceptedAt: null, expiresAt: at(1) }, now)).toBe("pending");
    // The pending list marks `expires_at <= now()` as expired: the same instant must agree here.
    expect(inviteState({ acceptedAt: null, expiresAt: at(0) }, now)).toBe("expired");
    expect(inviteState({ acceptedAt: null, expiresAt: at(-HOUR) }, now)).toBe("expired");
  });

  it("is accepted once accepted, even after its expiry has passed", () => {
    expect(inviteState({ acceptedAt: at(-2 * HOUR), expiresAt: at(HOUR) }, now)).toBe("accepted");
    expect(inviteState({ acceptedAt: at(-2 * HOUR), expiresAt: at(-HOUR) }, now)).toBe("accepted");
  });
});

describe("using an invitation token (preview and accept)", () => {
  it("a pending invitation can be used", () => {
    expect(inviteTokenProblem({ acceptedAt: null, expiresAt: at(HOUR) }, now)).toBeNull();
  });

  it("no row is an invalid token: a wrong token, a revoked invitation (deleted) or one replaced by a resend", () => {
    expect(inviteTokenProblem(undefined, now)).toBe(INVITE_TOKEN_INVALID);
    expect(inviteTokenProblem(null, now)).toBe(INVITE_TOKEN_INVALID);
  });

  it("an accepted invitation says so rather than expired, so the invitee knows to sign in", () => {
    expect(inviteTokenProblem({ acceptedAt: at(-HOUR), expiresAt: at(-1) }, now)).toBe(INVITE_ACCEPTED);
  });

  it("an expired invitation is refused from its expiry instant", () => {
    expect(inviteTokenProblem({ acceptedAt: null, expiresAt: at(0) }, now)).toBe(INVITE_EXPIRED);
    expect(inviteTokenProblem({ acceptedAt: null, expiresAt: at(-HOUR) }, now)).toBe(INVITE_EXPIRED);
  });
});

describe("resending an invitation", () => {
  it("renews a pending or an expired invitation", () => {
    expect(resendProblem({ acceptedAt: null })).toBeNull();
    // Expiry is not consulted: resending is how an admin renews a lapsed invite.
    const lapsed = { acceptedAt: null, expiresAt: at(-HOUR) };
    expect(resendProblem(lapsed)).toBeNull();
  });

  it("refuses an accepted invitation and an unknown one (another tenant's is unknown under RLS)", () => {
    expect(resendProblem({ acceptedAt: at(-HOUR) })).toBe(INVITE_ACCEPTED);
    expect(resendProblem(undefined)).toBe(INVITE_NOT_FOUND);
  });
});

describe("who may invite", () => {
  const kindOf = (fn: () => void): string | null => {
    try {
      fn();
      return null;
    } catch (error) {
      if (error instanceof AppError) return error.kind;
      throw error;
    }
  };

  it("an ADMIN into their own tenant", () => {
    expect(kindOf(() => assertCanInvite(principalWith(["ADMIN"]), TENANT))).toBeNull();
    expect(kindOf(() => assertCanInvite(principalWith(["VIEWER", "ADMIN"]), TENANT))).toBeNull();
  });

  it("not an ANALYST or VIEWER (403)", () => {
    expect(kindOf(() => assertCanInvite(principalWith(["ANALYST"]), TENANT))).toBe("forbidden");
    expect(kindOf(() => assertCanInvite(principalWith(["VIEWER"]), TENANT))).toBe("forbidden");
    expect(kindOf(() => assertCanInvite(principalWith([]), TENANT))).toBe("forbidden");
  });

  it("another tenant is unknown (404) to everyone, checked before the role so ids cannot be probed", () => {
    expect(kindOf(() => assertCanInvite(principalWith(["ADMIN"]), OTHER_TENANT))).toBe("not_found");
    expect(kindOf(() => assertCanInvite(principalWith(["VIEWER"]), OTHER_TENANT))).toBe("not_found");
  });
});
