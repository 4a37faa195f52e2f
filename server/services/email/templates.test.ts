import { describe, expect, it } from "vitest";
import { renderEmail } from "./templates";

describe("e-mail templates", () => {
  it("have a text and an HTML part with the link, and escape names in HTML", () => {
    const link = "https://app.test/accept-invite?token=a&b";
    const mail = renderEmail("invite", "x@y.test", { tenant_name: "<Acme & Co>", role: "ANALYST", expires_at: "2030-01-01" }, link);
    expect(mail.text).toContain(link);
    expect(mail.text).toContain("<Acme & Co>");
    expect(mail.html).toContain("&lt;Acme &amp; Co&gt;");
    expect(mail.html).toContain('href="https://app.test/accept-invite?token=a&amp;b"');
    const reset = renderEmail("password_reset", "x@y.test", { ttl_minutes: "60" }, "https://app.test/reset-password?token=t");
    expect(reset.subject).toBe("Reset your ADinsights password");
    expect(reset.text).toContain("60 minutes");
    expect(reset.html).toContain("/reset-password?token=t");
  });
});
