/**
 * EMAIL_PROVIDER=log: one structured log line per message. Outside production the line carries
 * the link, so a developer can follow an invite or reset without a mail server; in production it
 * never does (the link holds a live token).
 */
import { randomUUID } from "node:crypto";
import { log } from "../log";
import type { EmailMessage, EmailProvider, SendOutcome } from "./message";

export function logProvider(options: { from: string; includeLink: boolean }): EmailProvider {
  return {
    name: "log",
    async send(message: EmailMessage): Promise<SendOutcome> {
      const messageId = `log-${randomUUID()}`;
      const fields = { provider: "log", message_id: messageId, template: message.template, from: options.from, to: message.to, subject: message.subject };
      // The link holds a live token, which redaction would hide: shown as it is, outside production only.
      if (options.includeLink) log.infoUnredacted("email", fields, { link: message.link });
      else log.info("email", fields);
      return { status: "sent", messageId };
    },
  };
}
