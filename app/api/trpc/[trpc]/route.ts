import { trpcOptions, trpcOtherMethod, trpcRequest } from "~/server/api/http";

export { trpcRequest as GET, trpcRequest as POST, trpcOptions as OPTIONS, trpcOtherMethod as PUT, trpcOtherMethod as PATCH, trpcOtherMethod as DELETE };
