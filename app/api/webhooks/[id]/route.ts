import { operation } from "~/server/http/operation";
import { uuidParam } from "~/server/http/path-params";
import { empty, json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { webhookGuard } from "~/server/http/webhook-guard";
import { deleteEndpoint, updateEndpoint } from "~/server/services/health/webhooks/endpoints";
import { endpointView, updateEndpointInput } from "~/server/services/health/webhooks/schemas";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  PATCH: operation({
    summary: "Change a webhook endpoint's URL, event filter or active flag (ADMIN)",
    auth: true,
    params: { id: uuidParam },
    guard: webhookGuard,
    body: updateEndpointInput,
    responses: { 200: { description: "The endpoint", schema: endpointView }, 403: { description: "Caller is not an ADMIN" }, 404: { description: "No such endpoint in this tenant" } },
    handler: async ({ principal, params, body }) => json(await updateEndpoint(principal, params.id, body)),
  }),
  DELETE: operation({
    summary: "Delete a webhook endpoint and its delivery log (ADMIN)",
    auth: true,
    params: { id: uuidParam },
    guard: webhookGuard,
    responses: { 204: { description: "Deleted" }, 403: { description: "Caller is not an ADMIN" }, 404: { description: "No such endpoint in this tenant" } },
    handler: async ({ principal, params }) => {
      await deleteEndpoint(principal, params.id);
      return empty(204);
    },
  }),
});
