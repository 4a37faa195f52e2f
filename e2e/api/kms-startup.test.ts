/**
 * Start-up validation of the aws KMS settings: the web app (production build), the worker and the
 * CLIs refuse to start, printing one line that names the variable (never its value).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { freePort } from "../support/net";

const ARN = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

const CASES: { name: string; env: Record<string, string>; line: string }[] = [
  { name: "missing key id", env: { KMS_KEY_ID: "", AWS_REGION: "us-east-1" }, line: "Invalid environment: KMS_KEY_ID is required when KMS_PROVIDER=aws (missing or a placeholder)" },
  { name: "placeholder key id", env: { KMS_KEY_ID: "replace-me", AWS_REGION: "us-east-1" }, line: "Invalid environment: KMS_KEY_ID is required when KMS_PROVIDER=aws (missing or a placeholder)" },
  { name: "ARN region differs from AWS_REGION", env: { KMS_KEY_ID: ARN, AWS_REGION: "eu-west-1" }, line: "Invalid environment: KMS_KEY_ID is an ARN in region us-east-1 but AWS_REGION is eu-west-1" },
  {
    name: "ARN whose key part is a placeholder",
    env: { KMS_KEY_ID: "arn:aws:kms:us-east-1:123456789012:key/replace-me", AWS_REGION: "us-east-1" },
    line: "Invalid environment: KMS_KEY_ID is an ARN whose key part is not a KMS key id (a UUID, or mrk- and 32 hex digits)",
  },
  {
    name: "ARN whose key part is not a key id",
    env: { KMS_KEY_ID: "arn:aws:kms:us-east-1:123456789012:key/my-key", AWS_REGION: "us-east-1" },
    line: "Invalid environment: KMS_KEY_ID is an ARN whose key part is not a KMS key id (a UUID, or mrk- and 32 hex digits)",
  },
  {
    name: "placeholder alias in an ARN",
    env: { KMS_KEY_ID: "arn:aws:kms:us-east-1:123456789012:alias/replace-me", AWS_REGION: "us-east-1" },
    line: "Invalid environment: KMS_KEY_ID names a placeholder alias",
  },
  { name: "missing region", env: { KMS_KEY_ID: ARN, AWS_REGION: "" }, line: "Invalid environment: AWS_REGION is required when KMS_PROVIDER=aws" },
  {
    name: "the local provider in production",
    env: { KMS_PROVIDER: "local" },
    line: "Invalid environment: KMS_PROVIDER=local is refused when NODE_ENV=production (set KMS_PROVIDER=aws, KMS_KEY_ID and AWS_REGION)",
  },
];

async function startAndCollect(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
  clearTimeout(timer);
  return { code, stderr };
}

describe("KMS start-up validation", () => {
  for (const c of CASES) {
    it(`${c.name}: web app, worker and CLI refuse to start with one line`, async () => {
      const env = { ...inject("testEnv"), KMS_PROVIDER: "aws", ...c.env };
      const port = await freePort();
      const web = await startAndCollect([path.join("dist", "serve.mjs"), "-p", String(port), "-H", "127.0.0.1"], env);
      const worker = await startAndCollect([path.join("dist", "worker.mjs")], { ...env, WORKER_HEALTH_PORT: String(await freePort()) });
      // The CLIs validate the same environment (the local-provider rule is the web app's and worker's own).
      const cli = c.env.KMS_PROVIDER ? [] : [await startAndCollect([path.join("dist", "rotate-deks.mjs"), "--quiet"], env)];
      for (const run of [web, worker, ...cli]) {
        expect(run.code).toBe(1);
        expect(run.stderr.trim().split("\n")).toEqual([c.line]);
      }
    }, 60_000);
  }
});
