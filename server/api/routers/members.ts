import { pageInput } from "../../services/accounts/schemas";
import { assignRole, listMembers, revokeRole } from "../../services/team/roles";
import { assignRoleInput, idInput } from "../../services/team/schemas";
import { roleProcedure, router, tenantProcedure } from "../trpc";

export const membersRouter = router({
  list: tenantProcedure
    .input(pageInput.optional())
    .query(({ ctx, input }) => listMembers(ctx.principal, pageInput.parse(input ?? {}))),
  assign: roleProcedure("ADMIN")
    .input(assignRoleInput)
    .mutation(({ ctx, input }) => assignRole(ctx.principal, input)),
  /** Revokes one role assignment by its id (as listed in `roles[].id`). */
  revoke: roleProcedure("ADMIN")
    .input(idInput)
    .mutation(async ({ ctx, input }) => {
      await revokeRole(ctx.principal, input.id);
      return { id: input.id, revoked: true };
    }),
});
