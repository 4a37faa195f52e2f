import { authed, restRoute } from "~/server/http/route";
import { json } from "~/server/http/respond";
import { authorize } from "~/server/services/connectors/access";
import { disconnect } from "~/server/services/connectors/disconnect";
import { providerFrom } from "~/server/services/connectors/providers";
import { disconnectInput } from "~/server/services/connectors/schemas";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: authed(async (ctx) => {
    const provider = providerFrom(ctx.params.provider);
    authorize(ctx.principal, "disconnect");
    return json(await disconnect(ctx.principal, provider, await ctx.json(disconnectInput)));
  }),
});
