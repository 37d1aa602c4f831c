import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**", "**/.next/**", "**/dist/**", "**/.turbo/**", "**/generated/**",
      "**/next-env.d.ts", "test-results/**", "playwright-report/**", ".arbiter/**",
      // Copied at build time (git-ignored): public/ and onnxruntime-web's runtime.
      "apps/web/public/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-explicit-any": "error",
    },
  },
  {
    // Configuration is read once, validated, in @arbiter/config; nothing else reads process.env.
    files: ["packages/*/src/**/*.ts", "apps/web/**/*.ts", "apps/web/**/*.tsx"],
    ignores: ["packages/config/src/**", "**/*.test.ts"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Use @arbiter/config." }],
    },
  },
);
