import { integrationGuard } from "~/server/http/integration-guard";
import { operation } from "~/server/http/operation";
import { providerParam } from "~/server/http/path-params";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { provision } from "~/server/services/connectors/provision";
import { provisionInput } from "~/server/services/connectors/schemas";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: operation({
    summary: "Create or update the Airbyte source and connection (ADMIN)",
    auth: true,
    params: { provider: providerParam },
    guard: integrationGuard("provision"),
    throttle: "provision",
    body: provisionInput,
    responses: {
      200: { description: "Reused and updated: {provider, credential, connection, source, source_reused, connection_reused}" },
      201: { description: "Created: same shape" },
      403: { description: "Caller is not an ADMIN, or a tenant ADMIN sent workspace_id/destination_id (platform staff only)" },
      502: { description: "Airbyte request failed" },
      503: { description: "Airbyte is not configured for this environment" },
      504: { description: "Airbyte timed out" },
    },
    handler: async ({ principal, params, body }) => {
      const result = await provision(principal, params.provider, body);
      return json(result.body, result.created ? 201 : 200);
    },
  }),
});
