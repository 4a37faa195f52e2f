import { operation } from "~/server/http/operation";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { resendInvite } from "~/server/services/team/invites";
import { resendInviteInput } from "~/server/services/team/schemas";
import { invitationView } from "~/server/services/team/views";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: operation({
    summary: "Resend an invitation with a fresh token (ADMIN; legacy path)",
    auth: true,
    throttle: "invites",
    body: resendInviteInput,
    responses: { 200: { description: "Invitation re-issued", schema: invitationView }, 403: { description: "Caller is not an ADMIN" } },
    handler: async ({ principal, body }) => json(await resendInvite(principal, principal.tenantId, body.invitation_id)),
  }),
});
