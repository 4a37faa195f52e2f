import { z } from "zod";
import { operation } from "~/server/http/operation";
import { uuidParam } from "~/server/http/path-params";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { webhookGuard } from "~/server/http/webhook-guard";
import { rotateSecret } from "~/server/services/health/webhooks/endpoints";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: operation({
    summary: "Replace a webhook endpoint's signing secret (ADMIN); the new secret is returned only here",
    auth: true,
    params: { id: uuidParam },
    guard: webhookGuard,
    responses: { 200: { description: "The new secret", schema: z.object({ secret: z.string() }) }, 403: { description: "Caller is not an ADMIN" }, 404: { description: "No such endpoint in this tenant" } },
    handler: async ({ principal, params }) => json(await rotateSecret(principal, params.id)),
  }),
});
