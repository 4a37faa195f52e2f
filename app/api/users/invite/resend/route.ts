import { authed, restRoute } from "~/server/http/route";
import { json } from "~/server/http/respond";
import { resendInvite } from "~/server/services/team/invites";
import { resendInviteInput } from "~/server/services/team/schemas";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: authed(async (ctx) => {
    const input = await ctx.json(resendInviteInput);
    return json(await resendInvite(ctx.principal, ctx.principal.tenantId, input.invitation_id));
  }),
});
