import { authed, restRoute } from "~/server/http/route";
import { json } from "~/server/http/respond";
import { providerStatus } from "~/server/services/connectors/status";
import { providerFrom } from "~/server/services/connectors/providers";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: authed(async (ctx) => json(await providerStatus(ctx.principal, providerFrom(ctx.params.provider)))),
});
