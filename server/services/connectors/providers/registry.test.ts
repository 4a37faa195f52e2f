import { describe, expect, it } from "vitest";
import { parseEnv } from "../../../env";
import { defaultStartDate, PROVIDERS, PROVIDER_SLUGS, providerFrom } from ".";

const env = parseEnv({
  GOOGLE_OAUTH_CLIENT_ID: "cid",
  GOOGLE_OAUTH_CLIENT_SECRET: "csecret",
  AIRBYTE_GOOGLE_ADS_DEVELOPER_TOKEN: "dev",
  META_OAUTH_SCOPES: " Ads_Read, pages_show_list ,ads_read,",
  GOOGLE_OAUTH_SCOPES_GA4: "a, b c",
});
const secret = { accessToken: "AT", refreshToken: "RT", expiresAt: null };
const input = (accountId: string) => ({ accountId, secret, startDate: "2026-01-01", env });

describe("provider registry", () => {
  it("resolves slugs case-insensitively after trimming, else 404", () => {
    expect(providerFrom(" Meta_Ads ").slug).toBe("meta_ads");
    expect(() => providerFrom("tiktok")).toThrow("Unsupported provider.");
    expect(PROVIDER_SLUGS.map((s) => PROVIDERS[s].family.id)).toEqual(["meta", "meta", "google", "google", "google"]);
  });

  it("reads scopes from env: Meta comma-separated, lower-cased, de-duplicated; Google space or comma", () => {
    expect(PROVIDERS.meta_ads.scopes(env)).toEqual(["ads_read", "pages_show_list"]);
    expect(PROVIDERS.ga4.scopes(env)).toEqual(["a", "b", "c"]);
  });

  it("builds each connector's source configuration exactly as the spec's table", () => {
    expect(PROVIDERS.facebook_pages.sourceConfig(input("123"))).toEqual({ page_id: "123", access_token: "AT" });
    expect(PROVIDERS.meta_ads.sourceConfig(input("act_987"))).toEqual({
      account_ids: ["987"],
      credentials: { auth_type: "Service", access_token: "AT" },
      start_date: "2026-01-01",
    });
    expect(PROVIDERS.google_ads.sourceConfig(input("1234567890"))).toEqual({
      credentials: { developer_token: "dev", client_id: "cid", client_secret: "csecret", refresh_token: "RT" },
      customer_id: "1234567890",
      start_date: "2026-01-01",
    });
    expect(PROVIDERS.ga4.sourceConfig(input("555"))).toEqual({
      property_ids: ["555"],
      credentials: { auth_type: "Client", client_id: "cid", client_secret: "csecret", refresh_token: "RT" },
      date_ranges_start_date: "2026-01-01",
    });
    expect(PROVIDERS.search_console.sourceConfig(input("https://x.example/"))).toEqual({
      site_urls: ["https://x.example/"],
      start_date: "2026-01-01",
      authorization: { auth_type: "Client", client_id: "cid", client_secret: "csecret", refresh_token: "RT" },
    });
  });

  it("normalises account ids per provider", () => {
    expect(PROVIDERS.google_ads.accountId("123-456")).toBe("123456");
    expect(PROVIDERS.google_ads.accountId("none")).toBeNull();
    expect(PROVIDERS.google_ads.accountId(" 1234567890 ")).toBe("1234567890");
    expect(PROVIDERS.meta_ads.accountId("42")).toBe("act_42");
    expect(PROVIDERS.ga4.accountId("properties/77")).toBe("77");
    expect(PROVIDERS.search_console.accountId("sc-domain:example.com")).toBe("sc-domain:example.com");
    expect(PROVIDERS.search_console.accountId("nope")).toBeNull();
  });

  it("start_date defaults to 90 days before today", () => {
    expect(defaultStartDate(new Date("2026-04-01T12:00:00Z"))).toBe("2026-01-01");
  });
});
