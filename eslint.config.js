// @ts-check
// Lint catches bugs, not style: correctness rules from ESLint and typescript-eslint, plus the
// Drizzle rules that refuse an UPDATE or DELETE without a WHERE on our db/transaction handles.
// Formatting is not linted (nothing here may fail the build over whitespace or quotes).
import path from "node:path";
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import boundaries from "eslint-plugin-boundaries";
import drizzle from "eslint-plugin-drizzle";
import tseslint from "typescript-eslint";

/** Names our Drizzle handles go by: the process db and transaction callbacks. */
const drizzleObjectName = ["db", "tx"];

export default defineConfig(
  {
    ignores: [".next/**", "node_modules/**", ".data/**", "db/migrations/**", "test-artifacts/**", "coverage/**", "next-env.d.ts"],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,js,mjs,cjs}"],
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "module",
    },
    plugins: { drizzle },
    rules: {
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName }],
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName }],
      // `_`-prefixed names mark deliberately unused parameters and destructured leftovers.
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      // Empty catch blocks are how best-effort cleanup says "ignore"; empty functions are no-ops.
      "no-empty": ["error", { allowEmptyCatch: true }],
      "@typescript-eslint/no-empty-function": "off",
      // TypeScript already reports undefined names (and knows about types and ambient globals).
      "no-undef": "off",
    },
  },
  {
    // The layers (CONTRIBUTING.md): each import is sorted by the file it resolves to, so relative
    // paths and the "@/" alias are caught alike. Scripts and tests may import anything.
    files: ["**/*.{ts,tsx,js,mjs}"],
    plugins: { boundaries },
    settings: {
      "import/resolver": { [path.join(import.meta.dirname, "scripts/lint/alias-resolver.cjs")]: {} },
      "boundaries/elements": [
        { type: "db", pattern: "db/**", partialMatch: false },
        { type: "lib", pattern: "lib/**", partialMatch: false },
        { type: "jobs", pattern: "jobs/**", partialMatch: false },
        { type: "components", pattern: "components/**", partialMatch: false },
        { type: "app", pattern: "app/**", partialMatch: false },
      ],
    },
    rules: {
      "boundaries/dependencies": [
        "error",
        {
          default: "allow",
          // Also check package imports (the next/* rule for lib/).
          checkAllOrigins: true,
          policies: [
            {
              from: { element: { type: "db" } },
              disallow: { to: { element: { type: ["lib", "jobs", "components", "app"] } } },
              message: "db/ is the bottom layer: it imports nothing of lib/, jobs/, components/ or app/ (lib/env.js excepted).",
            },
            // The one lib/ module the database may read: the validated environment (DATABASE_URL).
            { from: { element: { type: "db" } }, allow: { to: { file: { path: "lib/env.js" } } } },
            {
              from: { element: { type: "lib" } },
              disallow: { to: { element: { type: ["jobs", "components", "app"] } } },
              message: "lib/ is the domain: it imports nothing of jobs/, components/ or app/; take what it needs as a parameter.",
            },
            {
              from: { element: { type: "lib" } },
              disallow: { to: { module: { source: ["next", "next-auth"] } } },
              message: "lib/ runs outside Next (workers, CLI, tests): no next or next-auth imports.",
            },
            {
              from: { element: { type: "components" } },
              disallow: { to: { element: { type: "app" } } },
              message: "components/ holds generic UI: a component that needs a route's actions lives in app/(console)/<feature>/_components/.",
            },
            {
              from: { element: { type: "jobs" } },
              disallow: { to: { element: { type: "app" } } },
              message: "jobs/ runs in the worker process: it imports nothing of app/.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.cjs"],
    languageOptions: { sourceType: "commonjs" },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // Tests may use non-null assertions and loose fixtures freely.
    files: ["tests/**/*.ts", "**/*.test.ts", "**/*.test.tsx"],
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-explicit-any": "off",
    },
  },
);
