/** The configured e-mail provider (EMAIL_PROVIDER), built once per process. */
import { env } from "../../env";
import { logProvider } from "./log-provider";
import type { EmailProvider } from "./message";
import { sesProvider } from "./ses-provider";

export type { EmailMessage, EmailProvider, SendOutcome } from "./message";

let cached: { key: string; provider: EmailProvider } | undefined;

export function emailProvider(): EmailProvider {
  const e = env();
  const key = [e.EMAIL_PROVIDER, e.EMAIL_FROM_ADDRESS, e.AWS_ENDPOINT_URL_SESV2, e.SES_EXPECTED_FROM_DOMAIN].join("|");
  if (cached?.key === key) return cached.provider;
  const provider =
    e.EMAIL_PROVIDER === "ses"
      ? sesProvider({
          from: e.EMAIL_FROM_ADDRESS,
          region: e.AWS_REGION ?? "us-east-1",
          endpoint: e.AWS_ENDPOINT_URL_SESV2,
          configurationSet: e.SES_CONFIGURATION_SET,
          expectedFromDomain: e.SES_EXPECTED_FROM_DOMAIN,
        })
      : logProvider({ from: e.EMAIL_FROM_ADDRESS, includeLink: !e.isProduction });
  cached = { key, provider };
  return provider;
}
