import { authed, restRoute } from "~/server/http/route";
import { json } from "~/server/http/respond";
import { getTenant } from "~/server/services/accounts/tenants";
import { notFound } from "~/server/services/errors";
import { isUuid } from "~/server/services/validation";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: authed(async ({ principal, params }) => {
    const id = params.tenant_id ?? "";
    if (!isUuid(id)) throw notFound();
    return json(await getTenant(principal, id));
  }),
});
