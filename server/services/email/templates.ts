/** The transactional e-mails, each with a plain-text and an HTML part. */
import type { EmailMessage } from "../../infra/email";

export const EMAIL_TEMPLATES = ["invite", "password_reset"] as const;
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
