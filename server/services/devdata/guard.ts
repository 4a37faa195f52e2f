/**
 * The dev-data commands write a known admin and fake numbers: they run only in development or
 * where the operator opted in with ALLOW_DEFAULT_ADMIN (spec/integrations.md, CLI).
 */
import { env } from "../../env";

export function devCommandsAllowed(): boolean {
  const e = env();
  return e.NODE_ENV === "development" || e.ALLOW_DEFAULT_ADMIN;
}

export const REFUSAL =
  "Refusing to run: this command writes development data. Set NODE_ENV=development or ALLOW_DEFAULT_ADMIN=true to allow it.";
