import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * Client components ("use client" files) ship to the browser: from server/ they may import types
 * only (the tRPC router's type, row types), never code — that would bundle database, vault or env
 * code into the page, or fail the build on `server-only`. Pure modules meant for both sides are
 * listed in SHARED.
 */
const SHARED = ["/server/services/return-path"];
const clientBoundary = {
  meta: { type: "problem", schema: [], messages: { server: "A client component may import only types from server/: '{{source}}' is server code." } },
  create(context) {
    const isClient = context.sourceCode.ast.body.some((n) => n.type === "ExpressionStatement" && n.directive === "use client");
    if (!isClient) return {};
    return {
      ImportDeclaration(node) {
        const source = String(node.source.value);
        if (!/^(~\/server\/|(\.\.\/)+server\/)/.test(source)) return;
        const typeOnly = node.importKind === "type" || (node.specifiers.length > 0 && node.specifiers.every((s) => s.importKind === "type"));
        if (typeOnly || SHARED.some((shared) => source.endsWith(shared))) return;
        context.report({ node, messageId: "server", data: { source } });
      },
    };
  },
};

/**
 * Services hold the domain: they take a Principal, never a request, and know no transport (nor do
 * db and infra). `depths` are how far up a file's folder server/ is, so `../http` of a top-level
 * infra file (server/http) is refused while `../http` of infra/airbyte (infra's own outbound HTTP
 * client) is not.
 */
const transport = (...depths) => ["http", "api", "edge"].flatMap((dir) => [...depths.map((d) => `${"../".repeat(d)}${dir}/*`), `~/server/${dir}/*`]);
const layerRule = (patterns) => ({
  "no-restricted-imports": [
    "error",
    {
      patterns: [
        { group: patterns, message: "Services, db and infra know no transport: request handling belongs in server/http, server/api or server/edge." },
        { group: ["next", "next/*", "next-auth", "next-auth/*"], message: "Services, db and infra do not depend on Next." },
      ],
    },
  ],
});

export default tseslint.config(
  { ignores: ["node_modules/", ".next*/", "dist/", ".data/", "drizzle/", "next-env.d.ts", "e2e/artifacts/", "test-results/", ".scratch/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { local: { rules: { "client-boundary": clientBoundary } } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": ["error", { allow: ["warn", "error"] }],
      "local/client-boundary": "error",
    },
  },
  { files: ["server/services/*.ts", "server/db/*.ts", "server/infra/*.ts"], ignores: ["**/*.test.ts"], rules: layerRule(transport(1)) },
  { files: ["server/services/*/**/*.ts", "server/db/*/**/*.ts", "server/infra/*/**/*.ts"], ignores: ["**/*.test.ts"], rules: layerRule(transport(2, 3)) },
  {
    // Tests and benches may use loose typing for JSON bodies.
    files: ["e2e/**/*.ts", "bench/**/*.ts", "**/*.test.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off", "no-console": "off" },
  },
  {
    files: ["server/cli/**/*.ts", "server/cli/**/*.mjs", "worker/**/*.ts"],
    languageOptions: { globals: { console: "readonly", process: "readonly" } },
    rules: { "no-console": "off" },
  },
);
