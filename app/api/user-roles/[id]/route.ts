import { operation } from "~/server/http/operation";
import { uuidParam } from "~/server/http/path-params";
import { empty } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { requireRole } from "~/server/services/accounts/principal";
import { revokeRole } from "~/server/services/team/roles";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  DELETE: operation({
    summary: "Revoke a role assignment (ADMIN)",
    auth: true,
    params: { id: uuidParam },
    responses: {
      204: { description: "Revoked" },
      403: { description: "Caller is not an ADMIN" },
      409: { description: "A tenant must keep at least one administrator" },
    },
    handler: async ({ principal, params }) => {
      requireRole(principal, "ADMIN");
      await revokeRole(principal, params.id);
      return empty(204);
    },
  }),
});
