/** Users of a tenant: list, create. */
import { asc, eq, sql } from "drizzle-orm";
import type { SelectedFields } from "drizzle-orm/pg-core";
import type { SelectResultFields } from "drizzle-orm/query-builders/select.types";
import { users } from "../../db/schema";
import { isUniqueViolation } from "../../db/errors";
import { withTenant } from "../../db/tenant";
import { recordAudit } from "../audit";
import { fieldError } from "../errors";
import { fromWindowed, offsetOf, type Page, type PageRequest } from "../pagination";
import { hashPassword, passwordProblems } from "./passwords";
import { requireRole, userViewColumns, type Principal, type UserView } from "./principal";

export const EMAIL_TAKEN = "A user with this email already exists.";

/** The caller's tenant's users, ordered by e-mail, in one SQL statement. */
export function listUsers(principal: Principal, page: PageRequest): Promise<Page<UserView>> {
  return pageOfUsers(principal, page, userViewColumns);
}

/** One page of the caller's tenant's users with the given columns, ordered by e-mail; one statement. */
export async function pageOfUsers<C extends SelectedFields>(
  principal: Principal,
  page: PageRequest,
  columns: C,
): Promise<Page<SelectResultFields<C>>> {
  const rows = await withTenant(principal.tenantId, (tx) =>
    tx
      .select({ ...columns, total: sql<number>`count(*) over ()` })
      .from(users)
      .where(eq(users.tenantId, principal.tenantId))
      .orderBy(asc(users.email))
      .limit(page.pageSize)
      .offset(offsetOf(page)),
  );
  return fromWindowed(page, rows as unknown as (SelectResultFields<C> & { total: number })[]) as Page<SelectResultFields<C>>;
}

export interface CreateUserInput {
  email: string;
  password: string;
  first_name?: string;
  last_name?: string;
  timezone?: string;
}

/**
 * Applies the password rules (which need the e-mail) and hashes; a failure is a 400 on `field`.
 * Every path that sets a password goes through this before its transaction (hashing is slow).
 */
export async function checkedPasswordHash(password: string, email: string, field = "password"): Promise<string> {
  const problems = passwordProblems(password, email);
  if (problems.length > 0) throw fieldError(field, problems[0]!);
  return hashPassword(password);
}

/** The row of a new user (sign-up, created by an admin, accepted invite); the password is new. */
export function newUserValues(tenantId: string, email: string, passwordHash: string, names: { first_name?: string; last_name?: string }) {
  return {
    tenantId,
    email,
    passwordHash,
    firstName: names.first_name ?? "",
    lastName: names.last_name ?? "",
    passwordChangedAt: sql`now()`,
  };
}

/** ADMIN adds a user to their own tenant, with no role yet. */
export async function createUser(principal: Principal, input: CreateUserInput) {
  requireRole(principal, "ADMIN");
  const passwordHash = await checkedPasswordHash(input.password, input.email);
  try {
    return await withTenant(principal.tenantId, async (tx) => {
      const [created] = await tx
        .insert(users)
        .values({
          ...newUserValues(principal.tenantId, input.email, passwordHash, input),
          ...(input.timezone ? { timezone: input.timezone } : {}),
        })
        .returning({
          id: users.id,
          email: users.email,
          first_name: users.firstName,
          last_name: users.lastName,
          timezone: users.timezone,
        });
      await recordAudit(tx, {
        tenantId: principal.tenantId,
        userId: principal.userId,
        action: "user_created",
        resourceType: "user",
        resourceId: created!.id,
        metadata: { email: created!.email },
      });
      return created!;
    });
  } catch (error) {
    if (isUniqueViolation(error, "users_email_key")) throw fieldError("email", EMAIL_TAKEN);
    throw error;
  }
}
