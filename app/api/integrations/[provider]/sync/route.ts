import { authed, restRoute } from "~/server/http/route";
import { json } from "~/server/http/respond";
import { authorize } from "~/server/services/connectors/access";
import { requestSync } from "~/server/services/connectors/sync";
import { providerFrom } from "~/server/services/connectors/providers";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: authed(async (ctx) => {
    const provider = providerFrom(ctx.params.provider);
    authorize(ctx.principal, "sync");
    return json(await requestSync(ctx.principal, provider), 202);
  }),
});
