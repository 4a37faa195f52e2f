import { integrationGuard } from "~/server/http/integration-guard";
import { operation } from "~/server/http/operation";
import { providerParam } from "~/server/http/path-params";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { requestSync } from "~/server/services/connectors/sync";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: operation({
    summary: "Queue a sync of the provider's active connection; idempotent while one is queued or running (ADMIN, ANALYST)",
    auth: true,
    params: { provider: providerParam },
    guard: integrationGuard("sync"),
    throttle: "sync",
    responses: {
      202: { description: "{provider, connection_id, job_id, status, deduplicated}" },
      403: { description: "Caller is a VIEWER" },
    },
    handler: async ({ principal, params }) => json(await requestSync(principal, params.provider), 202),
  }),
});
