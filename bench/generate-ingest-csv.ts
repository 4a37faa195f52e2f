/**
 * Writes a large, realistic ingest CSV (the `ingest-sample-metrics` columns) with constant memory:
 * rows are produced day by day for a fixed set of ads and written with backpressure.
 *
 *   npm run bench -- generate-ingest-csv --rows 1000000 [--out bench/results/ingest-1000000.csv]
 */
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { once } from "node:events";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { CSV_COLUMNS } from "../server/services/devdata/metrics-row";

const SOURCES = ["meta_ads", "google_ads"];
const CAMPAIGNS = 20;
const ADSETS_PER_CAMPAIGN = 5;
const ADS_PER_ADSET = 10;

/** Cheap deterministic noise in [0, 1). */
function noise(n: number): number {
  const x = Math.sin(n * 12.9898) * 43758.5453;
  return x - Math.floor(x);
}

export async function writeIngestCsv(file: string, rows: number): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const out = createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, "drain");
  };
  await write(CSV_COLUMNS.join(",") + "\n");
  const start = Date.UTC(2020, 0, 1);
  let written = 0;
  let chunk = "";
  for (let day = 0; written < rows; day++) {
    const date = new Date(start + day * 86_400_000).toISOString().slice(0, 10);
    for (const source of SOURCES) {
      for (let c = 0; c < CAMPAIGNS && written < rows; c++) {
        const campaign = `${source === "meta_ads" ? "1202" : "2087"}${String(c).padStart(6, "0")}`;
        for (let s = 0; s < ADSETS_PER_CAMPAIGN && written < rows; s++) {
          const adset = `${campaign}${String(s).padStart(3, "0")}`;
          for (let a = 0; a < ADS_PER_ADSET && written < rows; a++) {
            const ad = `${adset}${String(a).padStart(3, "0")}`;
            const r = noise(written + 1);
            const impressions = Math.floor(500 + r * 20_000);
            const clicks = Math.floor(impressions * (0.005 + r * 0.03));
            const spend = (impressions * (0.3 + r * 0.5)).toFixed(2);
            const conversions = Math.floor(clicks * r * 0.1);
            chunk += `${date},${source},${ad},${campaign},Campaign ${c} ${source},${adset},Ad set ${c}.${s},${ad},Ad ${c}.${s}.${a},${impressions},${clicks},${spend},JMD,${conversions}\n`;
            written++;
          }
        }
        if (chunk.length > 1 << 16) {
          await write(chunk);
          chunk = "";
        }
      }
    }
  }
  await write(chunk);
  out.end();
  await once(out, "finish");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { values } = parseArgs({ options: { rows: { type: "string", default: "1000000" }, out: { type: "string" } } });
  const rows = Number(values.rows);
  if (!Number.isInteger(rows) || rows < 1) throw new Error("--rows must be a positive integer");
  const file = values.out ?? path.join("bench", "results", `ingest-${rows}.csv`);
  await writeIngestCsv(file, rows);
  console.log(`wrote ${rows} rows to ${file}`);
}
