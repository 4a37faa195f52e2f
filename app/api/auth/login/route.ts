import { operation } from "~/server/http/operation";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { login } from "~/server/services/accounts/auth";
import { credentialsInput } from "~/server/services/accounts/schemas";
import { loginView } from "~/server/services/accounts/views";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: operation({
    summary: "Log in: token pair plus the user",
    throttle: "auth",
    body: credentialsInput,
    responses: {
      200: { description: "Tokens, tenant and user", schema: loginView },
      401: { description: "No active account found with the given credentials" },
    },
    handler: async ({ body, ip }) => {
      const result = await login(body, { ip });
      return json({ refresh: result.refresh, access: result.access, tenant_id: result.user.tenant, user: result.user });
    },
  }),
});
