import { operation } from "~/server/http/operation";
import { pageRequest, paginated } from "~/server/http/pagination";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { pageOf, pageQuery } from "~/server/services/accounts/views";
import { assignRole, listRoleAssignments } from "~/server/services/team/roles";
import { assignRoleInput } from "~/server/services/team/schemas";
import { roleAssignmentView } from "~/server/services/team/views";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: operation({
    summary: "Role assignments in the caller's tenant",
    auth: true,
    query: pageQuery,
    responses: { 200: { description: "A page of role assignments", schema: pageOf(roleAssignmentView) } },
    handler: async ({ principal, url }) => json(paginated(url, await listRoleAssignments(principal, pageRequest(url)))),
  }),
  POST: operation({
    summary: "Grant a role in the caller's tenant (ADMIN)",
    auth: true,
    body: assignRoleInput,
    responses: {
      200: { description: "The user already held the role", schema: roleAssignmentView },
      201: { description: "Role granted", schema: roleAssignmentView },
      403: { description: "Caller is not an ADMIN" },
    },
    handler: async ({ principal, body }) => {
      const { assignment, created } = await assignRole(principal, body);
      return json(assignment, created ? 201 : 200);
    },
  }),
});
