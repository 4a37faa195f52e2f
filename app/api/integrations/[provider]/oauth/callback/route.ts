import { integrationGuard } from "~/server/http/integration-guard";
import { operation } from "~/server/http/operation";
import { providerParam } from "~/server/http/path-params";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { completeOAuth, selectAccount } from "~/server/services/connectors/oauth-callback";
import { callbackStepInput } from "~/server/services/connectors/schemas";

/** Step 1 (`code` + `state`) or step 2 (`selection_id` + `account_id`) of the connect flow. */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: operation({
    summary: "Complete the OAuth callback, or pick an account from a selection (ADMIN)",
    auth: true,
    params: { provider: providerParam },
    guard: integrationGuard("callback"),
    body: callbackStepInput,
    responses: {
      200: { description: "connected {provider, status, credential, refresh_token_received?} or selection_required {selection_id, expires_at, options}" },
      403: { description: "Caller is not an ADMIN, or the state belongs to another user or tenant" },
      502: { description: "OAuth exchange failed for this provider" },
    },
    handler: async ({ principal, params, body }) => {
      return json(
        body.step === "select"
          ? await selectAccount(principal, params.provider, body.input)
          : await completeOAuth(principal, params.provider, body.input),
      );
    },
  }),
});
