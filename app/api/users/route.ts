import { operation } from "~/server/http/operation";
import { pageRequest, paginated } from "~/server/http/pagination";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { createUserInput } from "~/server/services/accounts/schemas";
import { createUser, listUsers } from "~/server/services/accounts/users";
import { pageOf, pageQuery, userView } from "~/server/services/accounts/views";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: operation({
    summary: "Users of the caller's tenant",
    auth: true,
    query: pageQuery,
    responses: { 200: { description: "A page of users", schema: pageOf(userView) } },
    handler: async ({ principal, url }) => json(paginated(url, await listUsers(principal, pageRequest(url)))),
  }),
  POST: operation({
    summary: "Create a user in the caller's tenant",
    auth: true,
    body: createUserInput,
    responses: {
      201: { description: "User created", schema: userView },
      403: { description: "Caller is not an ADMIN" },
    },
    handler: async ({ principal, body }) => json(await createUser(principal, body), 201),
  }),
});
