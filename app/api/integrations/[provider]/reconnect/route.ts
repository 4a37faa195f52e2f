import { integrationGuard } from "~/server/http/integration-guard";
import { operation } from "~/server/http/operation";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { startOAuth } from "~/server/services/connectors/oauth-start";
import { providerFrom } from "~/server/services/connectors/providers";
import { startInput } from "~/server/services/connectors/schemas";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: operation({
    summary: "Reconnect: a new OAuth flow; the existing credential stays until it succeeds (ADMIN)",
    auth: true,
    guard: integrationGuard("reconnect"),
    body: startInput,
    responses: {
      200: { description: "{provider, authorize_url, state, redirect_uri}" },
      403: { description: "Caller is not an ADMIN" },
      503: { description: "OAuth is not configured for this provider" },
    },
    handler: async ({ principal, params, body }) => json(await startOAuth(principal, providerFrom(params.provider), body)),
  }),
});
