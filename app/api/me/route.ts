import { authed, restRoute } from "~/server/http/route";
import { json } from "~/server/http/respond";
import { me } from "~/server/services/accounts/me";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: authed(async ({ principal }) => json(me(principal))),
});
