/** Shared bench plumbing: the app stack from e2e/support/stack.ts, and a table printer. */
import { startFakeKms } from "../e2e/fakes/kms";
import { startStack, type Stack } from "../e2e/support/stack";

/** The production server as the tests run it; in production the vault needs (fake) AWS KMS. */
export async function startBenchServer(extraEnv: Record<string, string> = {}): Promise<Stack> {
  const kms = await startFakeKms();
  const stack = await startStack({
    name: "adinsights_bench",
    log: "ignore",
    env: {
      SECRET_KEY: "bench-signing-key-0123456789abcdefghijklmnop",
      // Request lines are not written in benches; the log call itself still runs.
      LOG_LEVEL: "warn",
      ...kms.env(),
      ...extraEnv,
    },
  }).catch(async (error: unknown) => {
    await kms.close();
    throw error;
  });
  return {
    ...stack,
    stop: async () => {
      await stack.stop();
      await kms.close();
    },
  };
}

export function printTable(title: string, rows: Record<string, string | number>[]): void {
  if (rows.length === 0) return;
  const headers = Object.keys(rows[0]!);
  const cells = rows.map((r) => headers.map((h) => String(r[h] ?? "")));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: string[]) => `| ${values.map((v, i) => v.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(`\n${title}\n`);
  console.log(line(headers));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const c of cells) console.log(line(c));
  console.log();
}
