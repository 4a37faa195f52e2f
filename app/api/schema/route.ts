import { operation } from "~/server/http/operation";
import { openApiDocument } from "~/server/http/openapi";
import { json } from "~/server/http/respond";
import { restRoute } from "~/server/http/route";
import { API_ROUTES } from "../route-table";

// tRPC is the browser's transport: one endpoint, procedures named in the path.
const TRPC = {
  path: "/api/trpc/{procedure}",
  item: {
    summary: "tRPC endpoint for the web app (same services as REST)",
    description: "Queries are GET, mutations POST; see server/api/root.ts for the procedures.",
    parameters: [{ name: "procedure", in: "path", required: true, schema: { type: "string" } }],
    get: { summary: "tRPC query", responses: { "200": { description: "tRPC result envelope" } } },
    post: { summary: "tRPC mutation", responses: { "200": { description: "tRPC result envelope" } } },
  },
};

let cached: unknown;

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({
  GET: operation({
    summary: "This OpenAPI 3.1 document",
    throttle: "public",
    responses: { 200: { description: "OpenAPI document" } },
    handler: async () => {
      // Every restRoute of the generated table (tRPC and the catch-all are not restRoutes).
      cached ??= openApiDocument(API_ROUTES, [TRPC]);
      return json(cached);
    },
  }),
});
