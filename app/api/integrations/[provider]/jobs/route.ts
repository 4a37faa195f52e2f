import { authed, restRoute } from "~/server/http/route";
import { json } from "~/server/http/respond";
import { listJobs } from "~/server/services/connectors/jobs";
import { providerFrom } from "~/server/services/connectors/providers";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: authed(async (ctx) => json(await listJobs(ctx.principal, providerFrom(ctx.params.provider), ctx.url.searchParams.get("limit")))),
});
