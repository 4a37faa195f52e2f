import { restRoute } from "~/server/http/route";
import { json } from "~/server/http/respond";
import { login } from "~/server/services/accounts/auth";
import { credentialsInput } from "~/server/services/accounts/schemas";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: async (ctx) => {
    const result = await login(await ctx.json(credentialsInput), { ip: ctx.ip });
    return json({ refresh: result.refresh, access: result.access, tenant_id: result.user.tenant, user: result.user });
  },
});
