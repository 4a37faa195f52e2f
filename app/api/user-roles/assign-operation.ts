/** POST /api/user-roles/ and its older alias POST /api/roles/assign/: one operation, two paths. */
import { operation } from "~/server/http/operation";
import { json } from "~/server/http/respond";
import { assignRole } from "~/server/services/team/roles";
import { assignRoleInput } from "~/server/services/team/schemas";
import { roleAssignmentView } from "~/server/services/team/views";

export const assignRoleOperation = operation({
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
});
