import { restRoute } from "~/server/http/route";
import { empty } from "~/server/http/respond";
import { confirmPasswordReset } from "~/server/services/team/password-reset";
import { passwordResetConfirmInput } from "~/server/services/team/schemas";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: async (ctx) => {
    await confirmPasswordReset(await ctx.json(passwordResetConfirmInput));
    return empty(204);
  },
});
