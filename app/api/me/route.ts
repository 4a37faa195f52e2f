import { operation } from "~/server/http/operation";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { me } from "~/server/services/accounts/me";
import { meView } from "~/server/services/accounts/views";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: operation({
    summary: "The caller's profile",
    auth: true,
    responses: { 200: { description: "User and tenant", schema: meView } },
    handler: async ({ principal }) => json(me(principal)),
  }),
});
