/**
 * Who may do what with connectors (spec/integrations.md "Roles"). Checked before the body is
 * read, as DRF checks permissions before validation, so a VIEWER gets 403 whatever they send.
 */
import { requireRole, type Principal } from "../accounts/principal";

export type ConnectorAction = "status" | "jobs" | "sync" | "start" | "callback" | "reconnect" | "disconnect" | "provision";

export function authorize(principal: Principal, action: ConnectorAction): void {
  if (action === "status" || action === "jobs") return;
  if (action === "sync") return requireRole(principal, "ANALYST");
  requireRole(principal, "ADMIN");
}
