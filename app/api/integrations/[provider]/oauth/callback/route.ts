import { authed, restRoute } from "~/server/http/route";
import { json } from "~/server/http/respond";
import { authorize } from "~/server/services/connectors/access";
import { completeOAuth, selectAccount } from "~/server/services/connectors/oauth-callback";
import { providerFrom } from "~/server/services/connectors/providers";
import { callbackInput, isSelectionStep, selectInput } from "~/server/services/connectors/schemas";
import { readJson } from "~/server/http/body";
import { parseInput } from "~/server/services/validation";

/** Step 1 (`code` + `state`) or step 2 (`selection_id` + `account_id`) of the connect flow. */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: authed(async (ctx) => {
    const provider = providerFrom(ctx.params.provider);
    authorize(ctx.principal, "callback");
    const body = await readJson(ctx.req);
    if (isSelectionStep(body)) return json(await selectAccount(ctx.principal, provider, parseInput(selectInput, body)));
    return json(await completeOAuth(ctx.principal, provider, parseInput(callbackInput, body)));
  }),
});
