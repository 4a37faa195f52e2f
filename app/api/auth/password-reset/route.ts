import { operation } from "~/server/http/operation";
import { empty } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { requestPasswordReset } from "~/server/services/team/password-reset";
import { passwordResetInput } from "~/server/services/team/schemas";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: operation({
    summary: "Request a password-reset e-mail",
    throttle: "auth",
    body: passwordResetInput,
    responses: { 202: { description: "Accepted, whether or not the address has an account" } },
    handler: async ({ body, ip }) => {
      requestPasswordReset(body, { ip });
      return empty(202);
    },
  }),
});
