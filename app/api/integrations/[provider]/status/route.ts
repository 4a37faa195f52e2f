import { integrationGuard } from "~/server/http/integration-guard";
import { operation } from "~/server/http/operation";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { providerFrom } from "~/server/services/connectors/providers";
import { providerStatus } from "~/server/services/connectors/status";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: operation({
    summary: "Connection state, credentials, connections and the last job of a provider",
    auth: true,
    guard: integrationGuard(null),
    responses: { 200: { description: "{provider, label, state, credentials, connections, latest_connection_id, last_job}" } },
    handler: async ({ principal, params }) => json(await providerStatus(principal, providerFrom(params.provider))),
  }),
});
