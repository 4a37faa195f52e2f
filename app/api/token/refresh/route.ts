import { operation } from "~/server/http/operation";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { refresh } from "~/server/services/accounts/auth";
import { refreshInput } from "~/server/services/accounts/schemas";
import { tokenPair } from "~/server/services/accounts/views";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: operation({
    summary: "Rotate a refresh token into a new pair",
    throttle: "auth",
    body: refreshInput,
    responses: {
      200: { description: "New pair; the old refresh token stops working", schema: tokenPair },
      401: { description: "Token is invalid or expired" },
    },
    handler: async ({ body }) => {
      const pair = await refresh(body.refresh);
      return json({ access: pair.access, refresh: pair.refresh });
    },
  }),
});
