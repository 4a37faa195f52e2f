import { operation } from "~/server/http/operation";
import { providerParam } from "~/server/http/path-params";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { providerStatus } from "~/server/services/connectors/status";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: operation({
    summary: "Connection state, credentials, connections and the last job of a provider",
    auth: true,
    params: { provider: providerParam },
    responses: { 200: { description: "{provider, label, state, credentials, connections, latest_connection_id, last_job}" } },
    handler: async ({ principal, params }) => json(await providerStatus(principal, params.provider)),
  }),
});
