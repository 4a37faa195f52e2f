import { authed, restRoute } from "~/server/http/route";
import { json } from "~/server/http/respond";
import { notFound } from "~/server/services/errors";
import { createInvite } from "~/server/services/team/invites";
import { inviteInput } from "~/server/services/team/schemas";
import { isUuid } from "~/server/services/validation";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: authed(async (ctx) => {
    const tenantId = ctx.params.tenant_id ?? "";
    if (!isUuid(tenantId)) throw notFound();
    return json(await createInvite(ctx.principal, tenantId, await ctx.json(inviteInput)), 201);
  }),
});
