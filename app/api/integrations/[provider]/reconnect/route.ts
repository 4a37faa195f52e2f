import { oauthStartOperation } from "~/server/http/oauth-start-operation";
import { restRoute } from "~/server/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  POST: oauthStartOperation("reconnect", "Reconnect: a new OAuth flow; the existing credential stays until it succeeds (ADMIN)"),
});
