/** Webhook routes are ADMIN only (403 before the body is read); ids are path parameters (`uuidParam`). */
import { requireRole } from "../services/accounts/principal";
import type { RequestContext } from "./route";

export const webhookGuard = (ctx: RequestContext) => requireRole(ctx.principal!, "ADMIN");
