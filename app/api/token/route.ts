import { operation } from "~/server/http/operation";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { login } from "~/server/services/accounts/auth";
import { credentialsInput } from "~/server/services/accounts/schemas";
import { tokenPair } from "~/server/services/accounts/views";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: operation({
    summary: "Obtain an access/refresh token pair",
    throttle: "auth",
    body: credentialsInput,
    responses: {
      200: { description: "Token pair", schema: tokenPair },
      401: { description: "No active account found with the given credentials" },
    },
    handler: async ({ body, ip }) => {
      const { access, refresh } = await login(body, { ip });
      return json({ refresh, access });
    },
  }),
});
