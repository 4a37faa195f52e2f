import { afterEach, describe, expect, it, vi } from "vitest";
import { logProvider } from "./log-provider";

const message = {
  to: "someone@example.test",
  subject: "Hello",
  text: "text part https://app/accept-invite?token=SECRET123",
  html: "<p>html</p>",
  template: "invite",
  link: "https://app/accept-invite?token=SECRET123",
};

function capture(): string[] {
  const lines: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  return lines;
}

afterEach(() => vi.restoreAllMocks());

describe("EMAIL_PROVIDER=log", () => {
  it("outside production writes one structured line with the link", async () => {
    const lines = capture();
    const outcome = await logProvider({ from: "no-reply@x.test", includeLink: true }).send(message);
    expect(outcome.status).toBe("sent");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ msg: "email", provider: "log", to: message.to, subject: "Hello", link: message.link });
  });

  it("in production never writes the link or the token", async () => {
    const lines = capture();
    await logProvider({ from: "no-reply@x.test", includeLink: false }).send(message);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain("SECRET123");
    expect(JSON.parse(lines[0]!)).not.toHaveProperty("link");
  });
});
