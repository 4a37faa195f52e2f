import { describe, expect, it } from "vitest";
import { readCsv } from "./csv";
import { mapHeader, parseMetricRow, RowError } from "./metrics-row";

async function records(text: string, chunkSize = 7) {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += chunkSize) chunks.push(text.slice(i, i + chunkSize));
  const out = [];
  for await (const batch of readCsv(chunks)) out.push(...batch);
  return out;
}

describe("readCsv", () => {
  it("handles quotes, doubled quotes, embedded newlines, CRLF and a BOM, with the starting line of each record", async () => {
    const text = '\ufeffa,b,c\r\n1,"x, y",z\r\n2,"multi\nline ""quoted""",w\n\n3,,\n4,"unterminated';
    expect(await records(text)).toEqual([
      { line: 1, fields: ["a", "b", "c"] },
      { line: 2, fields: ["1", "x, y", "z"] },
      { line: 3, fields: ["2", 'multi\nline "quoted"', "w"] },
      { line: 6, fields: ["3", "", ""] },
      { line: 7, fields: ["4", "unterminated"] },
    ]);
  });

  it("splits multi-byte characters across chunks correctly", async () => {
    const bytes = Buffer.from("name\nCafé Négril ☀\n");
    const out = [];
    for await (const batch of readCsv([bytes.subarray(0, 9), bytes.subarray(9, 15), bytes.subarray(15)] as unknown as string[]))
      out.push(...batch);
    expect(out.map((r) => r.fields[0])).toEqual(["name", "Café Négril ☀"]);
  });
});

describe("parseMetricRow", () => {
  const header = "date,source,external_id,campaign_external_id,campaign_name,adset_external_id,adset_name,ad_external_id,ad_name,impressions,clicks,spend,currency,conversions".split(",");
  const { map } = mapHeader(header, false);
  const row = (values: Partial<Record<string, string>>) =>
    header.map((h) => values[h] ?? { date: "2025-09-01", source: "meta_ads", campaign_external_id: "c1" }[h] ?? "");

  it("maps the old exporter's aliases", () => {
    const aliased = mapHeader(["date_day", "platform", "campaign_id", "adset_id", "ad_id", "spend"], false);
    expect(aliased.missing).toEqual([]);
    const parsed = parseMetricRow(["2025-01-31", "Google_Ads", "c9", "s9", "a9", "10.5"], 2, aliased.map);
    expect(parsed).toMatchObject({ date: "2025-01-31", source: "google_ads", campaignExternalId: "c9", adsetExternalId: "s9", adExternalId: "a9", level: "ad", externalId: "a9", spend: "10.5" });
  });

  it("reports missing required columns; --source makes the source column optional", () => {
    expect(mapHeader(["spend"], false).missing).toEqual(["date", "campaign_external_id", "source"]);
    expect(mapHeader(["date", "campaign_id"], true).missing).toEqual([]);
  });

  it("derives level and external_id, fills defaults", () => {
    expect(parseMetricRow(row({}), 2, map)).toMatchObject({
      level: "campaign", externalId: "c1", campaignName: "c1", impressions: "0", clicks: "0", spend: "0", currency: "JMD", conversions: "0",
    });
    expect(parseMetricRow(row({ adset_external_id: "s1" }), 2, map)).toMatchObject({ level: "adset", externalId: "s1", adsetName: "s1" });
    expect(parseMetricRow(row({ currency: "usd", spend: "1234.5678" }), 2, map)).toMatchObject({ currency: "USD", spend: "1234.5678" });
  });

  it.each([
    [{ date: "2025-02-30" }, 'date "2025-02-30" is not a valid date (YYYY-MM-DD)'],
    [{ date: "01/09/2025" }, 'date "01/09/2025" is not a valid date (YYYY-MM-DD)'],
    [{ date: "" }, "date is required"],
    [{ impressions: "12.5" }, 'impressions "12.5" is not a whole non-negative number'],
    [{ clicks: "-3" }, 'clicks "-3" is not a whole non-negative number'],
    [{ spend: "1,200.00" }, 'spend "1,200.00" is not a non-negative decimal (at most 4 decimal places)'],
    [{ spend: "1e3" }, 'spend "1e3" is not a non-negative decimal (at most 4 decimal places)'],
    [{ conversions: "0.12345" }, 'conversions "0.12345" is not a non-negative decimal (at most 4 decimal places)'],
    [{ currency: "J$" }, 'currency "J$" is not a 3-letter ISO 4217 code'],
    [{ campaign_external_id: "" }, "campaign_external_id is required"],
    [{ ad_external_id: "a1" }, "adset_external_id is required when ad_external_id is set"],
    [{ source: "meta ads" }, 'source "meta ads" is not a valid source slug'],
    [{ campaign_name: "bad\u0000name" }, "campaign_name contains a NUL character"],
    [{ campaign_external_id: "x".repeat(256) }, "campaign_external_id is longer than 255 characters"],
  ])("rejects %o", (values, message) => {
    expect(() => parseMetricRow(row(values), 5, map)).toThrow(new RowError(message));
  });

  it("--source fills rows without one and rejects rows of another source", () => {
    expect(parseMetricRow(row({ source: "" }), 2, map, "google_ads").source).toBe("google_ads");
    expect(() => parseMetricRow(row({}), 2, map, "google_ads")).toThrow('source "meta_ads" is not the selected source "google_ads"');
    expect(() => parseMetricRow(row({ source: "" }), 2, map)).toThrow("source is required");
  });
});
