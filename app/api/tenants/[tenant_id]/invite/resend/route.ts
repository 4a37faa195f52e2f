import { operation } from "~/server/http/operation";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { notFound } from "~/server/services/errors";
import { resendInvite } from "~/server/services/team/invites";
import { resendInviteInput } from "~/server/services/team/schemas";
import { invitationView } from "~/server/services/team/views";
import { isUuid } from "~/server/services/validation";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: operation({
    summary: "Resend an invitation with a fresh token (ADMIN of that tenant)",
    auth: true,
    body: resendInviteInput,
    responses: { 200: { description: "Invitation re-issued", schema: invitationView }, 403: { description: "Caller is not an ADMIN" } },
    handler: async ({ principal, params, body }) => {
      const tenantId = params.tenant_id ?? "";
      if (!isUuid(tenantId)) throw notFound();
      return json(await resendInvite(principal, tenantId, body.invitation_id));
    },
  }),
});
