import { operation } from "~/server/http/operation";
import { pageRequest, paginated } from "~/server/http/pagination";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { pageOf, pageQuery } from "~/server/services/accounts/views";
import { listRoleAssignments } from "~/server/services/team/roles";
import { roleAssignmentView } from "~/server/services/team/views";
import { assignRoleOperation } from "./assign-operation";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: operation({
    summary: "Role assignments in the caller's tenant",
    auth: true,
    query: pageQuery,
    responses: { 200: { description: "A page of role assignments", schema: pageOf(roleAssignmentView) } },
    handler: async ({ principal, url }) => json(paginated(url, await listRoleAssignments(principal, pageRequest(url)))),
  }),
  POST: assignRoleOperation,
});
