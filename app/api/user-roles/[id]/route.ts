import { authed, restRoute } from "~/server/http/route";
import { empty } from "~/server/http/respond";
import { requireRole } from "~/server/services/accounts/principal";
import { notFound } from "~/server/services/errors";
import { revokeRole } from "~/server/services/team/roles";
import { isUuid } from "~/server/services/validation";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  DELETE: authed(async ({ principal, params }) => {
    requireRole(principal, "ADMIN");
    const id = params.id ?? "";
    if (!isUuid(id)) throw notFound();
    await revokeRole(principal, id);
    return empty(204);
  }),
});
