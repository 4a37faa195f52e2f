import { restRoute } from "~/server/http/route";
import { json } from "~/server/http/respond";
import { refresh } from "~/server/services/accounts/auth";
import { refreshInput } from "~/server/services/accounts/schemas";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: async (ctx) => {
    const pair = await refresh((await ctx.json(refreshInput)).refresh);
    return json({ access: pair.access, refresh: pair.refresh });
  },
});
