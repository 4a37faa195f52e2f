import { operation } from "~/server/http/operation";
import { uuidParam } from "~/server/http/path-params";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { getTenant } from "~/server/services/accounts/tenants";
import { tenantView } from "~/server/services/accounts/views";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: operation({
    summary: "One tenant",
    auth: true,
    params: { tenant_id: uuidParam },
    responses: { 200: { description: "The tenant", schema: tenantView } },
    handler: async ({ principal, params }) => json(await getTenant(principal, params.tenant_id)),
  }),
});
