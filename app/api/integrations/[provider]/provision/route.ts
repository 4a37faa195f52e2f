import { authed, restRoute } from "~/server/http/route";
import { json } from "~/server/http/respond";
import { authorize } from "~/server/services/connectors/access";
import { provision } from "~/server/services/connectors/provision";
import { providerFrom } from "~/server/services/connectors/providers";
import { provisionInput } from "~/server/services/connectors/schemas";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: authed(async (ctx) => {
    const provider = providerFrom(ctx.params.provider);
    authorize(ctx.principal, "provision");
    const result = await provision(ctx.principal, provider, await ctx.json(provisionInput));
    return json(result.body, result.created ? 201 : 200);
  }),
});
