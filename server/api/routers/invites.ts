import { pageInput } from "../../services/accounts/schemas";
import { acceptInvite, createInvite, listPendingInvites, previewInvite, resendInvite, revokeInvite } from "../../services/team/invites";
import { acceptInviteInput, idInput, inviteInput, inviteTokenInput, resendInviteInput } from "../../services/team/schemas";
import { roleProcedure, router, throttledProcedure, userThrottle } from "../trpc";

export const invitesRouter = router({
  // Both send an invitation e-mail: the REST invite and resend routes' bucket (per user).
  create: roleProcedure("ADMIN")
    .use(userThrottle("invites"))
    .input(inviteInput)
    .mutation(({ ctx, input }) => createInvite(ctx.principal, ctx.tenantId, input)),
  listPending: roleProcedure("ADMIN")
    .input(pageInput.optional())
    .query(({ ctx, input }) => listPendingInvites(ctx.principal, pageInput.parse(input ?? {}))),
  resend: roleProcedure("ADMIN")
    .use(userThrottle("invites"))
    .input(resendInviteInput)
    .mutation(({ ctx, input }) => resendInvite(ctx.principal, ctx.tenantId, input.invitation_id)),
  revoke: roleProcedure("ADMIN")
    .input(idInput)
    .mutation(async ({ ctx, input }) => {
      await revokeInvite(ctx.principal, input.id);
      return { id: input.id, revoked: true };
    }),
  /**
   * The invited address and agency of a live token (nothing for a bad one). A mutation, so the
   * token travels in a POST body: as a query it would sit in the URL, and so in request logs.
   */
  preview: throttledProcedure("public").input(inviteTokenInput).mutation(({ input }) => previewInvite(input.token)),
  accept: throttledProcedure("auth").input(acceptInviteInput).mutation(({ input }) => acceptInvite(input)),
});
