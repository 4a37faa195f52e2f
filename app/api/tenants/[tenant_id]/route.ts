import { operation } from "~/server/http/operation";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { getTenant } from "~/server/services/accounts/tenants";
import { tenantView } from "~/server/services/accounts/views";
import { notFound } from "~/server/services/errors";
import { isUuid } from "~/server/services/validation";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: operation({
    summary: "One tenant",
    auth: true,
    responses: { 200: { description: "The tenant", schema: tenantView } },
    handler: async ({ principal, params }) => {
      const id = params.tenant_id ?? "";
      if (!isUuid(id)) throw notFound();
      return json(await getTenant(principal, id));
    },
  }),
});
