import { authed, restRoute } from "~/server/http/route";
import { json } from "~/server/http/respond";
import { pageRequest, paginated } from "~/server/http/pagination";
import { createUser, listUsers } from "~/server/services/accounts/users";
import { createUserInput } from "~/server/services/accounts/schemas";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: authed(async ({ principal, url }) => json(paginated(url, await listUsers(principal, pageRequest(url))))),
  POST: authed(async (ctx) => json(await createUser(ctx.principal, await ctx.json(createUserInput)), 201)),
});
