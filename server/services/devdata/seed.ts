/**
 * `seed-dev-data`: the default tenant and admin (shared with app start-up), the role catalogue
 * check, and a fortnight of sample campaigns, ad sets, ads and metrics loaded through the same
 * ingest path as a CSV. Idempotent: a second run creates nothing and never touches a password.
 */
import { and, eq } from "drizzle-orm";
import { roles, userRoles, users } from "../../db/schema";
import { withTenant } from "../../db/tenant";
import { env } from "../../env";
import { provisionDefaultAdmin } from "../accounts/default-admin";
import { ingestMetrics, type IngestReport } from "./ingest";
import { CSV_COLUMNS } from "./metrics-row";
import { devTenantId } from "./tenant";

export const SAMPLE_DAYS = 14;

interface SampleAd {
  source: string;
  campaign: [string, string];
  adset: [string, string];
  ad: [string, string];
}

const SAMPLE_ADS: SampleAd[] = [
  { source: "meta_ads", campaign: ["120210000000001", "Back to School 2025"], adset: ["120210000000101", "Kingston parents 25-44"], ad: ["120210000001001", "Uniform sale carousel"] },
  { source: "meta_ads", campaign: ["120210000000001", "Back to School 2025"], adset: ["120210000000101", "Kingston parents 25-44"], ad: ["120210000001002", "Stationery video 15s"] },
  { source: "meta_ads", campaign: ["120210000000002", "Jerk Fest Promo"], adset: ["120210000000201", "Montego Bay food lovers"], ad: ["120210000002001", "Festival lineup story"] },
  { source: "google_ads", campaign: ["20874510001", "Brand Search JM"], adset: ["151234500001", "Brand exact"], ad: ["689012300001", "RSA brand headline"] },
  { source: "google_ads", campaign: ["20874510002", "Performance Max Retail"], adset: ["151234500002", "Asset group: all products"], ad: ["689012300002", "PMax asset set A"] },
];

/** Deterministic pseudo-random numbers, so a re-run writes the same values it wrote before. */
function noise(seed: string): number {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619);
  return (h >>> 0) / 0xffffffff;
}

const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The sample as CSV lines: one row per ad per day for the SAMPLE_DAYS days before `today`. */
export function sampleCsv(today = new Date()): string[] {
  const lines = [CSV_COLUMNS.join(",") + "\n"];
  for (let d = SAMPLE_DAYS; d >= 1; d--) {
    const day = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - d)).toISOString().slice(0, 10);
    for (const ad of SAMPLE_ADS) {
      const r = noise(`${ad.ad[0]}:${day}`);
      const impressions = Math.round(2000 + r * 18000);
      const clicks = Math.round(impressions * (0.008 + r * 0.02));
      const spend = (impressions * (0.35 + r * 0.4)).toFixed(2); // JMD, CPM of roughly J$350–750
      const conversions = Math.round(clicks * (0.02 + r * 0.05));
      const cells = [day, ad.source, ad.ad[0], ...ad.campaign, ...ad.adset, ...ad.ad, impressions, clicks, spend, "JMD", conversions];
      lines.push(cells.map((c) => csvCell(String(c))).join(",") + "\n");
    }
  }
  return lines;
}

export interface SeedReport {
  admin: "created" | "exists" | "refused";
  adminEmail: string;
  tenantId: string;
  roles: string[];
  adminRoleAdded: boolean;
  metrics: IngestReport | null;
}

export async function seedDevData(): Promise<SeedReport> {
  const admin = env().defaultAdmin;
  const outcome = await provisionDefaultAdmin();
  const tenantId = await devTenantId();
  const report: SeedReport = { admin: outcome, adminEmail: admin.email, tenantId, roles: [], adminRoleAdded: false, metrics: null };
  if (outcome === "refused") return report;

  await withTenant(tenantId, async (tx) => {
    // The role catalogue is reference data installed by migrate; the app role can only read it.
    report.roles = (await tx.select({ name: roles.name }).from(roles).orderBy(roles.name)).map((r) => r.name);
    const [user] = await tx.select({ id: users.id }).from(users).where(and(eq(users.email, admin.email), eq(users.tenantId, tenantId)));
    if (user) {
      const added = await tx.insert(userRoles).values({ tenantId, userId: user.id, role: "ADMIN" }).onConflictDoNothing().returning({ id: userRoles.id });
      report.adminRoleAdded = outcome === "exists" && added.length > 0;
    }
  });
  report.metrics = await ingestMetrics({ tenantId, input: sampleCsv() });
  return report;
}
