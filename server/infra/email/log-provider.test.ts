/** EMAIL_PROVIDER=log, as a process writes it: the link (with its live token) only outside production. */
import { describe, expect, it } from "vitest";
import { runLogging } from "../../../e2e/support/child-logs";

const TOKEN = "q9Xz3LbV0pK7tR2mN8wY5sD1fG4hJ6kQ_aB-cE0iO2uL";
const send = (includeLink: boolean) =>
  runLogging(`
    import { logProvider } from "./server/infra/email/log-provider.ts";
    const outcome = await logProvider({ from: "no-reply@x.test", includeLink: ${includeLink} }).send({
      to: "someone@example.test", subject: "Hello", template: "invite", html: "<p>html</p>",
      text: "text part https://app/accept-invite?token=${TOKEN}", link: "https://app/accept-invite?token=${TOKEN}",
    });
    if (outcome.status !== "sent") process.exit(3);
  `);

describe("EMAIL_PROVIDER=log", () => {
  it("outside production writes one structured line with the whole link", () => {
    const child = send(true);
    expect(child.status).toBe(0);
    expect(child.out).toHaveLength(1);
    expect(child.out[0]).toMatchObject({ msg: "email", provider: "log", to: "someone@example.test", subject: "Hello", link: `https://app/accept-invite?token=${TOKEN}` });
  });

  it("in production never writes the link or the token", () => {
    const child = send(false);
    expect(child.status).toBe(0);
    expect(child.out).toHaveLength(1);
    expect(child.out[0]).not.toHaveProperty("link");
    expect(child.raw).not.toContain(TOKEN);
  });
});
