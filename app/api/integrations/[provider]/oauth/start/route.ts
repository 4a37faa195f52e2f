import { oauthStartOperation } from "~/server/http/oauth-start-operation";
import { restRoute } from "~/server/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: oauthStartOperation("start", "Start the OAuth connect flow (ADMIN)"),
});
