/** Users of a tenant: list, create. */
import { asc, eq, sql } from "drizzle-orm";
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
export async function listUsers(principal: Principal, page: PageRequest): Promise<Page<UserView>> {
  const rows = await withTenant(principal.tenantId, (tx) =>
    tx
      .select({ ...userViewColumns, total: sql<number>`count(*) over ()` })
      .from(users)
      .where(eq(users.tenantId, principal.tenantId))
      .orderBy(asc(users.email))
      .limit(page.pageSize)
      .offset(offsetOf(page)),
  );
  return fromWindowed(page, rows);
}

export interface CreateUserInput {
  email: string;
  password: string;
  first_name?: string;
  last_name?: string;
  timezone?: string;
}

/** ADMIN adds a user to their own tenant, with no role yet. */
export async function createUser(principal: Principal, input: CreateUserInput) {
  requireRole(principal, "ADMIN");
  const problems = passwordProblems(input.password, input.email);
  if (problems.length > 0) throw fieldError("password", problems[0]!);
  const passwordHash = await hashPassword(input.password);
  try {
    return await withTenant(principal.tenantId, async (tx) => {
      const [created] = await tx
        .insert(users)
        .values({
          tenantId: principal.tenantId,
          email: input.email,
          passwordHash,
          firstName: input.first_name ?? "",
          lastName: input.last_name ?? "",
          ...(input.timezone ? { timezone: input.timezone } : {}),
          passwordChangedAt: sql`now()`,
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
