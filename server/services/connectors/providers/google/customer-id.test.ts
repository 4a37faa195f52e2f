import { describe, expect, it } from "vitest";
import { googleAdsCustomerId, normalizeCustomerId } from "./customer-id";
import { googleAds } from ".";

describe("Google Ads customer ids", () => {
  it("keeps only the digits, as Google shows them with dashes", () => {
    expect(normalizeCustomerId("123-456-7890")).toBe("1234567890");
    expect(normalizeCustomerId(" 987-654-3210 ")).toBe("9876543210");
    expect(normalizeCustomerId("1234567890")).toBe("1234567890");
    expect(normalizeCustomerId("customers/1234567890")).toBe("1234567890");
    expect(normalizeCustomerId("123 456 7890")).toBe("1234567890");
  });

  it("leaves a value without digits as it was (trimmed), so it is refused rather than emptied", () => {
    expect(normalizeCustomerId(" abc ")).toBe("abc");
    expect(normalizeCustomerId("---")).toBe("---");
  });

  it("accepts the digits-only form of any spelling and refuses what holds no id", () => {
    expect(googleAdsCustomerId("987-654-3210")).toBe("9876543210");
    expect(googleAdsCustomerId("abc")).toBeNull();
    expect(googleAdsCustomerId("-")).toBeNull();
    expect(googleAdsCustomerId("1".repeat(21))).toBeNull();
  });

  it("is the provider's account-id rule, so every entry point normalises alike", () => {
    expect(googleAds.accountId("123-456-7890")).toBe("1234567890");
    expect(googleAds.accountId("no digits")).toBeNull();
  });
});
