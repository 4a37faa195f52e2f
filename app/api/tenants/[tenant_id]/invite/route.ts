import { operation } from "~/server/http/operation";
import { uuidParam } from "~/server/http/path-params";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { createInvite } from "~/server/services/team/invites";
import { inviteInput } from "~/server/services/team/schemas";
import { invitationView } from "~/server/services/team/views";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: operation({
    summary: "Invite someone into a tenant (ADMIN of that tenant)",
    auth: true,
    throttle: "invites",
    params: { tenant_id: uuidParam },
    body: inviteInput,
    responses: { 201: { description: "Invitation created and e-mailed", schema: invitationView }, 403: { description: "Caller is not an ADMIN" } },
    handler: async ({ principal, params, body }) => {
      return json(await createInvite(principal, params.tenant_id, body), 201);
    },
  }),
});
