/** The transactional e-mails, each with a plain-text and an HTML part. */
import type { EmailMessage } from "../../infra/email";

export const ALERT_TEMPLATES = ["connection_needs_reauth", "connection_recovered", "connection_paused", "webhook_disabled"] as const;
export type AlertTemplate = (typeof ALERT_TEMPLATES)[number];
export const EMAIL_TEMPLATES = ["invite", "password_reset", ...ALERT_TEMPLATES] as const;
export type EmailTemplate = (typeof EMAIL_TEMPLATES)[number];

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

function layout(title: string, paragraphs: string[], action: { label: string; link: string }, footer: string): string {
  const body = paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("\n");
  return `<!doctype html>
<html><body style="font-family:Arial,sans-serif;color:#1f2933">
<h2>${escapeHtml(title)}</h2>
${body}
<p><a href="${escapeHtml(action.link)}" style="background:#2563eb;color:#fff;padding:10px 16px;border-radius:4px;text-decoration:none">${escapeHtml(action.label)}</a></p>
<p style="font-size:12px;color:#6b7280">${escapeHtml(footer)}</p>
</body></html>`;
}

/** Renders a template; `params` hold no secrets, `link` is the only sensitive part. */
export function renderEmail(
  template: EmailTemplate,
  to: string,
  params: Record<string, string>,
  link: string,
): EmailMessage {
  if ((ALERT_TEMPLATES as readonly string[]).includes(template)) return renderAlert(template as AlertTemplate, to, params, link);
  if (template === "invite") {
    const tenant = params.tenant_name ?? "ADinsights";
    const subject = `You're invited to join ${tenant} on ADinsights`;
    const lines = [
      `You have been invited to join ${tenant} on ADinsights as ${params.role ?? "VIEWER"}.`,
      `The invitation expires at ${params.expires_at ?? "soon"}.`,
    ];
    const footer = "If you were not expecting this invitation, you can ignore this e-mail.";
    return {
      to,
      subject,
      template,
      link,
      text: `${lines.join("\n\n")}\n\nAccept the invitation: ${link}\n\n${footer}\n`,
      html: layout(subject, lines, { label: "Accept invitation", link }, footer),
    };
  }
  const subject = "Reset your ADinsights password";
  const lines = [
    "Someone asked to reset the password of your ADinsights account.",
    `The link works once and expires in ${params.ttl_minutes ?? "60"} minutes.`,
  ];
  const footer = "If you did not ask for this, ignore this e-mail; your password stays the same.";
  return {
    to,
    subject,
    template,
    link,
    text: `${lines.join("\n\n")}\n\nChoose a new password: ${link}\n\n${footer}\n`,
    html: layout(subject, lines, { label: "Choose a new password", link }, footer),
  };
}

/**
 * Connection-health alerts to a tenant's ADMINs (spec health.md). `params.label` names the
 * connector or endpoint; `params.reason` is our own text (never provider output with a token).
 */
function renderAlert(template: AlertTemplate, to: string, params: Record<string, string>, link: string): EmailMessage {
  const label = params.label ?? "A data source";
  const copy: Record<AlertTemplate, { subject: string; lines: string[]; action: string }> = {
    connection_needs_reauth: {
      subject: `${label} needs to be reconnected`,
      lines: [
        `ADinsights can no longer use the connection to ${label}${params.account ? ` (${params.account})` : ""}: ${params.reason ?? "the provider rejected the stored authorization."}`,
        "Syncs of this account are stopped until an administrator reconnects it. You will not get this e-mail again for this incident.",
      ],
      action: "Reconnect",
    },
    connection_recovered: {
      subject: `${label} is working again`,
      lines: [`The connection to ${label}${params.account ? ` (${params.account})` : ""} works again. Syncs continue as scheduled.`],
      action: "Open data sources",
    },
    connection_paused: {
      subject: `${label} was paused after repeated failures`,
      lines: [
        `${params.failures ?? "Many"} syncs of ${label}${params.account ? ` (${params.account})` : ""} failed in a row since ${params.since ?? "several days ago"}, so ADinsights paused the connection.`,
        "Check the account, then provision the connection again to resume it.",
      ],
      action: "Open data sources",
    },
    webhook_disabled: {
      subject: "A webhook endpoint was disabled",
      lines: [
        `Every delivery to ${label} failed since ${params.since ?? "several days ago"}, so ADinsights disabled the endpoint.`,
        "Fix the receiver, then enable the endpoint again in Settings; failed deliveries can be redelivered.",
      ],
      action: "Open settings",
    },
  };
  const { subject, lines, action } = copy[template];
  const footer = "You get this e-mail because you are an administrator of this ADinsights workspace.";
  return {
    to,
    subject,
    template,
    link,
    text: `${lines.join("\n\n")}\n\n${action}: ${link}\n\n${footer}\n`,
    html: layout(subject, lines, { label: action, link }, footer),
  };
}
