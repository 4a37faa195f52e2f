import { z } from "zod";
import { operation } from "~/server/http/operation";
import { uuidParam } from "~/server/http/path-params";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { webhookGuard } from "~/server/http/webhook-guard";
import { listDeliveries } from "~/server/services/health/webhooks/deliveries";
import { deliveryView } from "~/server/services/health/webhooks/schemas";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: operation({
    summary: "Delivery log of a webhook endpoint, newest first (ADMIN)",
    auth: true,
    params: { id: uuidParam },
    guard: webhookGuard,
    responses: { 200: { description: "The last 100 deliveries", schema: z.array(deliveryView) }, 403: { description: "Caller is not an ADMIN" }, 404: { description: "No such endpoint in this tenant" } },
    handler: async ({ principal, params }) => json(await listDeliveries(principal, params.id)),
  }),
});
