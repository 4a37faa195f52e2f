import { integrationGuard } from "~/server/http/integration-guard";
import { operation } from "~/server/http/operation";
import { providerParam } from "~/server/http/path-params";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { disconnect } from "~/server/services/connectors/disconnect";
import { disconnectInput } from "~/server/services/connectors/schemas";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: operation({
    summary: "Revoke at the provider, delete credentials, pause Airbyte connections, cancel queued syncs (ADMIN)",
    auth: true,
    params: { provider: providerParam },
    guard: integrationGuard("disconnect"),
    body: disconnectInput,
    responses: {
      200: { description: "{provider, state: not_connected, credentials_deleted, connections_paused, revoked}" },
      403: { description: "Caller is not an ADMIN" },
    },
    handler: async ({ principal, params, body }) => json(await disconnect(principal, params.provider, body)),
  }),
});
