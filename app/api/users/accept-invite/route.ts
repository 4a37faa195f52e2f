import { restRoute } from "~/server/http/route";
import { json } from "~/server/http/respond";
import { acceptInvite } from "~/server/services/team/invites";
import { acceptInviteInput } from "~/server/services/team/schemas";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: async (ctx) => json(await acceptInvite(await ctx.json(acceptInviteInput)), 201),
});
