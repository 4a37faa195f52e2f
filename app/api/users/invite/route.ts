import { operation } from "~/server/http/operation";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { createInvite } from "~/server/services/team/invites";
import { inviteInput } from "~/server/services/team/schemas";
import { invitationView } from "~/server/services/team/views";

// Legacy route: invites into the caller's own tenant.
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: operation({
    summary: "Invite someone into the caller's tenant (ADMIN; legacy path)",
    auth: true,
    throttle: "invites",
    body: inviteInput,
    responses: { 201: { description: "Invitation created and e-mailed", schema: invitationView }, 403: { description: "Caller is not an ADMIN" } },
    handler: async ({ principal, body }) => json(await createInvite(principal, principal.tenantId, body), 201),
  }),
});
