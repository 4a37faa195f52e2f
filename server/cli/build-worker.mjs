// Bundles the worker and the operator CLIs into dist/ so production runs them with plain `node`.
import { build } from "esbuild";

const entryPoints = {
  worker: "worker/index.ts",
  migrate: "server/cli/migrate.ts",
  queues: "server/cli/queues.ts",
  "rotate-deks": "server/cli/rotate-deks.ts",
};

await build({
  entryPoints,
  outdir: "dist",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  // Dependencies stay in node_modules; only our TypeScript is bundled.
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
console.log(`built ${Object.keys(entryPoints).map((n) => `dist/${n}.mjs`).join(", ")}`);
