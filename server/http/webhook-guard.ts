/** Webhook routes: ADMIN only (403 before the body is read), then a well-formed endpoint id (else 404). */
import { requireRole } from "../services/accounts/principal";
import { notFound } from "../services/errors";
import { isUuid } from "../services/validation";
import type { RequestContext } from "./route";

export const webhookGuard = (ctx: RequestContext) => {
  requireRole(ctx.principal!, "ADMIN");
  for (const key of ["id", "delivery_id"]) if (key in ctx.params && !isUuid(ctx.params[key]!)) throw notFound();
};
