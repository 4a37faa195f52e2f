import { describe, expect, it } from "vitest";
import { sealLink, unsealLink } from "./sealed-link";

describe("sealed links", () => {
  const id = "7d0f3c55-1d5e-4a53-9b5b-0b0f3b7f2a10";
  const link = "https://app.example/accept-invite?token=abc_DEF-123";

  it("round-trips and hides the token", () => {
    const sealed = sealLink(link, id);
    expect(sealed).not.toContain("abc_DEF");
    expect(unsealLink(sealed, id)).toBe(link);
    expect(sealLink(link, id)).not.toBe(sealed);
  });

  it("refuses another row's id, tampering and unknown versions", () => {
    const sealed = sealLink(link, id);
    expect(unsealLink(sealed, "00000000-0000-4000-8000-000000000000")).toBeNull();
    // Flip a bit of the ciphertext itself: editing the last base64url characters could touch only
    // padding bits, which decode to the same bytes.
    const raw = Buffer.from(sealed.slice(3), "base64url");
    raw[raw.length - 1]! ^= 0x01;
    const tampered = `v1.${raw.toString("base64url")}`;
    expect(unsealLink(tampered, id)).toBeNull();
    expect(unsealLink(sealed.replace(/^v1\./, "v9."), id)).toBeNull();
    expect(unsealLink("garbage", id)).toBeNull();
  });
});
