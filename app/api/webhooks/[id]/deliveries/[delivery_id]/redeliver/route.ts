import { operation } from "~/server/http/operation";
import { uuidParam } from "~/server/http/path-params";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { webhookGuard } from "~/server/http/webhook-guard";
import { redeliver } from "~/server/services/health/webhooks/deliveries";
import { deliveryView } from "~/server/services/health/webhooks/schemas";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: operation({
    summary: "Deliver an event to the endpoint again, as a new delivery (ADMIN)",
    auth: true,
    params: { id: uuidParam, delivery_id: uuidParam },
    guard: webhookGuard,
    responses: {
      202: { description: "Queued: the new delivery", schema: deliveryView },
      400: { description: "The endpoint is disabled" },
      403: { description: "Caller is not an ADMIN" },
      404: { description: "No such endpoint or delivery in this tenant" },
    },
    handler: async ({ principal, params }) => json(await redeliver(principal, params.id, params.delivery_id), 202),
  }),
});
