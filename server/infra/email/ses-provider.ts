/**
 * EMAIL_PROVIDER=ses: SESv2 SendEmail with a plain-text and an HTML part.
 *
 * The endpoint comes from AWS_ENDPOINT_URL_SESV2 (the SDK would also read that variable itself;
 * passing the validated value keeps env.ts the one source). Credentials come from the SDK's
 * default chain. A from-address outside SES_EXPECTED_FROM_DOMAIN is never sent: SES would reject
 * it or, worse, send mail that fails DMARC.
 */
import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";
import { log } from "../log";
import { domainOf, type EmailMessage, type EmailProvider, type SendOutcome } from "./message";

export interface SesOptions {
  from: string;
  region: string;
  endpoint?: string;
  configurationSet?: string;
  expectedFromDomain?: string;
}

export function sesProvider(options: SesOptions): EmailProvider {
  const client = new SESv2Client({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    // One quick retry inside the SDK; the outbox retries later with backoff.
    maxAttempts: 2,
    requestHandler: { connectionTimeout: 3_000, requestTimeout: 10_000 },
  });
  return {
    name: "ses",
    async send(message: EmailMessage): Promise<SendOutcome> {
      const expected = options.expectedFromDomain?.toLowerCase().replace(/^@/, "");
      if (expected && domainOf(options.from) !== expected) {
        log.warn("email skipped: from-address domain differs from SES_EXPECTED_FROM_DOMAIN", {
          template: message.template,
          from_domain: domainOf(options.from),
          expected_domain: expected,
        });
        return { status: "skipped", reason: "from_domain_mismatch" };
      }
      const result = await client.send(
        new SendEmailCommand({
          FromEmailAddress: options.from,
          Destination: { ToAddresses: [message.to] },
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: "UTF-8" },
              Body: { Text: { Data: message.text, Charset: "UTF-8" }, Html: { Data: message.html, Charset: "UTF-8" } },
            },
          },
          ...(options.configurationSet ? { ConfigurationSetName: options.configurationSet } : {}),
        }),
      );
      return { status: "sent", messageId: result.MessageId ?? "" };
    },
  };
}
