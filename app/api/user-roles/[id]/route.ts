import { operation } from "~/server/http/operation";
import { empty } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { requireRole } from "~/server/services/accounts/principal";
import { notFound } from "~/server/services/errors";
import { revokeRole } from "~/server/services/team/roles";
import { isUuid } from "~/server/services/validation";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  DELETE: operation({
    summary: "Revoke a role assignment (ADMIN)",
    auth: true,
    responses: {
      204: { description: "Revoked" },
      403: { description: "Caller is not an ADMIN" },
      409: { description: "A tenant must keep at least one administrator" },
    },
    handler: async ({ principal, params }) => {
      requireRole(principal, "ADMIN");
      const id = params.id ?? "";
      if (!isUuid(id)) throw notFound();
      await revokeRole(principal, id);
      return empty(204);
    },
  }),
});
