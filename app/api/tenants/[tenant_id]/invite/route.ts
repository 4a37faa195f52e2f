import { operation } from "~/server/http/operation";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { notFound } from "~/server/services/errors";
import { createInvite } from "~/server/services/team/invites";
import { inviteInput } from "~/server/services/team/schemas";
import { invitationView } from "~/server/services/team/views";
import { isUuid } from "~/server/services/validation";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: operation({
    summary: "Invite someone into a tenant (ADMIN of that tenant)",
    auth: true,
    body: inviteInput,
    responses: { 201: { description: "Invitation created and e-mailed", schema: invitationView }, 403: { description: "Caller is not an ADMIN" } },
    handler: async ({ principal, params, body }) => {
      const tenantId = params.tenant_id ?? "";
      if (!isUuid(tenantId)) throw notFound();
      return json(await createInvite(principal, tenantId, body), 201);
    },
  }),
});
