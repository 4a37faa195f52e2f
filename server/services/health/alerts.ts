/**
 * E-mail alerts to a tenant's ADMINs, written to the outbox in the caller's transaction (so an
 * alert exists exactly when its state change does) and sent right after commit. Once per
 * incident is a property of the callers: they alert only on the transition into a state.
 */
import { and, eq } from "drizzle-orm";
import type { Tx } from "../../db/client";
import { userRoles, users } from "../../db/schema";
import { env } from "../../env";
import { deliverNow, enqueueEmail } from "../email/outbox";
import type { AlertTemplate } from "../email/templates";
import type { AfterCommit } from "./after-commit";

/** Alerts carry no secret; the link stays useful for a week, after which an unsent alert is dropped. */
const ALERT_TTL_MS = 7 * 86_400_000;

export const dataSourcesLink = () => `${env().FRONTEND_BASE_URL}/dashboards/data-sources`;
export const settingsLink = () => `${env().FRONTEND_BASE_URL}/dashboards/settings`;

export async function alertAdmins(tx: Tx, tenantId: string, template: AlertTemplate, params: Record<string, string>, link: string, after?: AfterCommit): Promise<number> {
  const admins = await tx
    .selectDistinct({ email: users.email })
    .from(users)
    .innerJoin(userRoles, and(eq(userRoles.userId, users.id), eq(userRoles.role, "ADMIN")))
    .where(and(eq(users.tenantId, tenantId), eq(users.isActive, true)));
  const ids: string[] = [];
  for (const admin of admins)
    ids.push(await enqueueEmail(tx, { tenantId, template, recipient: admin.email, params, link, expiresAt: new Date(Date.now() + ALERT_TTL_MS) }));
  if (ids.length > 0) after?.add("send alert e-mails", () => deliverNow(tenantId, ids));
  return ids.length;
}
