import { me } from "../../services/accounts/me";
import { authedProcedure, router } from "../trpc";

export const meRouter = router({
  get: authedProcedure.query(({ ctx }) => me(ctx.principal)),
});
