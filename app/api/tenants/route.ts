import { authed, restRoute } from "~/server/http/route";
import { json } from "~/server/http/respond";
import { pageRequest, paginated } from "~/server/http/pagination";
import { listTenants, signUp } from "~/server/services/accounts/tenants";
import { signUpInput } from "~/server/services/accounts/schemas";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: authed(async ({ principal, url }) => json(paginated(url, await listTenants(principal, pageRequest(url))))),
  POST: async (ctx) => json(await signUp(await ctx.json(signUpInput)), 201),
});
