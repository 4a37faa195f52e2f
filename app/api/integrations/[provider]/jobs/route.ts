import { z } from "zod";
import { operation } from "~/server/http/operation";
import { providerParam } from "~/server/http/path-params";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { listJobs } from "~/server/services/connectors/jobs";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: operation({
    summary: "Recent sync jobs of a provider, newest first",
    auth: true,
    params: { provider: providerParam },
    query: z.object({ limit: z.string().optional().meta({ description: "1–100, default 20" }) }),
    responses: { 200: { description: "{provider, count, jobs}" } },
    handler: async ({ principal, params, url }) =>
      json(await listJobs(principal, params.provider, url.searchParams.get("limit"))),
  }),
});
