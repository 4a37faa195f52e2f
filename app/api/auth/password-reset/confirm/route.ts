import { operation } from "~/server/http/operation";
import { empty } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { confirmPasswordReset } from "~/server/services/team/password-reset";
import { passwordResetConfirmInput } from "~/server/services/team/schemas";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: operation({
    summary: "Set a new password with a reset token",
    throttle: "auth",
    body: passwordResetConfirmInput,
    responses: { 204: { description: "Password changed; the user's refresh tokens stop working" } },
    handler: async ({ body }) => {
      await confirmPasswordReset(body);
      return empty(204);
    },
  }),
});
