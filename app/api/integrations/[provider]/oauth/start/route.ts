import { authed, restRoute } from "~/server/http/route";
import { json } from "~/server/http/respond";
import { authorize } from "~/server/services/connectors/access";
import { startOAuth } from "~/server/services/connectors/oauth-start";
import { providerFrom } from "~/server/services/connectors/providers";
import { startInput } from "~/server/services/connectors/schemas";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: authed(async (ctx) => {
    const provider = providerFrom(ctx.params.provider);
    authorize(ctx.principal, "start");
    return json(await startOAuth(ctx.principal, provider, await ctx.json(startInput)));
  }),
});
