import { authed, restRoute } from "~/server/http/route";
import { json } from "~/server/http/respond";
import { createInvite } from "~/server/services/team/invites";
import { inviteInput } from "~/server/services/team/schemas";

// Legacy route: invites into the caller's own tenant.
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: authed(async (ctx) => json(await createInvite(ctx.principal, ctx.principal.tenantId, await ctx.json(inviteInput)), 201)),
});
