import { authed, restRoute } from "~/server/http/route";
import { json } from "~/server/http/respond";
import { notFound } from "~/server/services/errors";
import { resendInvite } from "~/server/services/team/invites";
import { resendInviteInput } from "~/server/services/team/schemas";
import { isUuid } from "~/server/services/validation";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: authed(async (ctx) => {
    const tenantId = ctx.params.tenant_id ?? "";
    if (!isUuid(tenantId)) throw notFound();
    const input = await ctx.json(resendInviteInput);
    return json(await resendInvite(ctx.principal, tenantId, input.invitation_id));
  }),
});
