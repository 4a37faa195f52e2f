import { clientIp } from "../../http/client-ip";
import { confirmPasswordReset, requestPasswordReset } from "../../services/team/password-reset";
import { passwordResetConfirmInput, passwordResetInput } from "../../services/team/schemas";
import { router, throttledProcedure } from "../trpc";

/** The browser's reset pages; same services, input schemas and rate-limit bucket as the REST password-reset routes. */
export const passwordResetRouter = router({
  /** Always answers `{ requested: true }`, whether or not the address has an account. */
  request: throttledProcedure("auth").input(passwordResetInput).mutation(async ({ ctx, input }) => {
    requestPasswordReset(input, { ip: clientIp(ctx.req.headers) });
    return { requested: true };
  }),
  confirm: throttledProcedure("auth").input(passwordResetConfirmInput).mutation(async ({ input }) => {
    await confirmPasswordReset(input);
    return { reset: true };
  }),
});
