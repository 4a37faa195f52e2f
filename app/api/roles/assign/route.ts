import { restRoute } from "~/server/http/route";
import { assignRoleOperation } from "../../user-roles/assign-operation";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = restRoute({ POST: assignRoleOperation });
