import { operation } from "~/server/http/operation";
import { pageRequest, paginated } from "~/server/http/pagination";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { signUpInput } from "~/server/services/accounts/schemas";
import { listTenants, signUp } from "~/server/services/accounts/tenants";
import { pageOf, pageQuery, signUpView, tenantView } from "~/server/services/accounts/views";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: operation({
    summary: "Tenants visible to the caller",
    auth: true,
    query: pageQuery,
    responses: { 200: { description: "A page of tenants", schema: pageOf(tenantView) } },
    handler: async ({ principal, url }) => json(paginated(url, await listTenants(principal, pageRequest(url)))),
  }),
  POST: operation({
    summary: "Sign up a tenant with its first admin",
    throttle: "auth",
    body: signUpInput,
    responses: { 201: { description: "Tenant created", schema: signUpView } },
    handler: async ({ body }) => json(await signUp(body), 201),
  }),
});
