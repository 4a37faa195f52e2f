import { authed, restRoute } from "~/server/http/route";
import { json } from "~/server/http/respond";
import { assignRole } from "~/server/services/team/roles";
import { assignRoleInput } from "~/server/services/team/schemas";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: authed(async (ctx) => {
    const { assignment, created } = await assignRole(ctx.principal, await ctx.json(assignRoleInput));
    return json(assignment, created ? 201 : 200);
  }),
});
