// @ts-check
// Lint catches bugs, not style: correctness rules from ESLint and typescript-eslint, plus the
// Drizzle rules that refuse an UPDATE or DELETE without a WHERE on our db/transaction handles.
// Formatting is not linted (nothing here may fail the build over whitespace or quotes).
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
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
    // Tests may use non-null assertions and loose fixtures freely.
    files: ["tests/**/*.ts", "**/*.test.ts", "**/*.test.tsx"],
    rules: {
      "@typescript-eslint/no-non-null-assertion": "off",
      "@typescript-eslint/no-explicit-any": "off",
    },
  },
);
