import { restRoute } from "~/server/http/route";
import { empty } from "~/server/http/respond";
import { requestPasswordReset } from "~/server/services/team/password-reset";
import { passwordResetInput } from "~/server/services/team/schemas";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: async (ctx) => {
    await requestPasswordReset(await ctx.json(passwordResetInput), { ip: ctx.ip });
    return empty(202);
  },
});
