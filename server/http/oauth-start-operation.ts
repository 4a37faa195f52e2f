/** `oauth/start/` and `reconnect/` are the same flow (spec): one operation, two role actions. */
import { startOAuth } from "../services/connectors/oauth-start";
import { startInput } from "../services/connectors/schemas";
import { integrationGuard } from "./integration-guard";
import { operation } from "./operation";
import { providerParam } from "./path-params";
import { json } from "./respond";

export const oauthStartOperation = (action: "start" | "reconnect", summary: string) =>
  operation({
    summary,
    auth: true,
    params: { provider: providerParam },
    guard: integrationGuard(action),
    // One flow, one bucket: start and reconnect draw on the same per-user limit.
    throttle: "connect",
    body: startInput,
    responses: {
      200: { description: "{provider, authorize_url, state, redirect_uri}" },
      403: { description: "Caller is not an ADMIN" },
      503: { description: "OAuth is not configured for this provider" },
    },
    handler: async ({ principal, params, body }) => json(await startOAuth(principal, params.provider, body)),
  });
