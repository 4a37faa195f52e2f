import { operation } from "~/server/http/operation";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { userView } from "~/server/services/accounts/views";
import { acceptInvite } from "~/server/services/team/invites";
import { acceptInviteInput } from "~/server/services/team/schemas";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: operation({
    summary: "Accept an invitation: create the user with a password",
    throttle: "auth",
    body: acceptInviteInput,
    responses: { 201: { description: "The new user", schema: userView } },
    handler: async ({ body }) => json(await acceptInvite(body), 201),
  }),
});
