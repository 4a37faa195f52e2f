import { z } from "zod";
import { operation } from "~/server/http/operation";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { webhookGuard } from "~/server/http/webhook-guard";
import { createEndpoint, listEndpoints } from "~/server/services/health/webhooks/endpoints";
import { createEndpointInput, endpointView, endpointWithSecret } from "~/server/services/health/webhooks/schemas";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: operation({
    summary: "Webhook endpoints of the caller's tenant (ADMIN)",
    auth: true,
    guard: webhookGuard,
    responses: { 200: { description: "Every endpoint, oldest first", schema: z.array(endpointView) }, 403: { description: "Caller is not an ADMIN" } },
    handler: async ({ principal }) => json(await listEndpoints(principal)),
  }),
  POST: operation({
    summary: "Register a webhook endpoint (ADMIN); the signing secret is returned only here",
    auth: true,
    guard: webhookGuard,
    body: createEndpointInput,
    responses: {
      201: { description: "The endpoint and its secret (whsec_…)", schema: endpointWithSecret },
      403: { description: "Caller is not an ADMIN" },
    },
    handler: async ({ principal, body }) => json(await createEndpoint(principal, body), 201),
  }),
});
