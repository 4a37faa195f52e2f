import { authed, restRoute } from "~/server/http/route";
import { json } from "~/server/http/respond";
import { pageRequest, paginated } from "~/server/http/pagination";
import { assignRole, listRoleAssignments } from "~/server/services/team/roles";
import { assignRoleInput } from "~/server/services/team/schemas";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: authed(async ({ principal, url }) => json(paginated(url, await listRoleAssignments(principal, pageRequest(url))))),
  POST: authed(async (ctx) => {
    const { assignment, created } = await assignRole(ctx.principal, await ctx.json(assignRoleInput));
    return json(assignment, created ? 201 : 200);
  }),
});
