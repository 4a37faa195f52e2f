/** What an e-mail provider is asked to deliver, and what it reports back. */
export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Which template produced it; for log lines only. */
  template: string;
  /** The link in the message; printed by the log provider outside production only. */
  link: string;
}

export type SendOutcome = { status: "sent"; messageId: string } | { status: "skipped"; reason: string };

export interface EmailProvider {
  readonly name: string;
  /** Delivers or deliberately skips; throws when delivery failed (the caller retries). */
  send(message: EmailMessage): Promise<SendOutcome>;
}

/** The domain part of an address, lower-cased. */
export const domainOf = (address: string) => address.slice(address.lastIndexOf("@") + 1).toLowerCase();
