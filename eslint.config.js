import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/**
 * Workspace packages are used through the entry points their package.json `exports` names
 * (`@arbiter/reward-model/client`, `@arbiter/judge/testing`, …), never by reaching into their
 * files: a deep import, or a relative path into packages/, fails lint. A package whose exports
 * still map "./*" to every file names no entry points yet and is not checked.
 */
const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const packagesDir = join(import.meta.dirname, "packages");
const deepImportPatterns = readdirSync(packagesDir).flatMap((dir) => {
  const manifest = JSON.parse(readFileSync(join(packagesDir, dir, "package.json"), "utf8"));
  const subpaths = Object.keys(manifest.exports ?? {}).filter((key) => key !== ".");
  if (subpaths.includes("./*")) return [];
  const allowed = subpaths.map((key) => escapeRegex(key.slice(2)));
  const notAllowed = allowed.length > 0 ? `(?!(?:${allowed.join("|")})$)` : "";
  const entries = ["", ...subpaths.map((key) => key.slice(1))].map((key) => `${manifest.name}${key}`).join(", ");
  return [{ regex: `^${escapeRegex(manifest.name)}/${notAllowed}`, message: `Import one of ${manifest.name}'s entry points: ${entries}.` }];
});
const relativeIntoPackages = { regex: "^(\\.\\./)+packages/", message: "Import the package's entry point (@arbiter/<name>…), not its files by relative path." };
const restrictedSources = [...deepImportPatterns, relativeIntoPackages];

/**
 * One home for SQL: in core, every SQL statement and Prisma call lives in packages/core/src/store
 * (jobs/ keeps its queue SQL); use cases call store functions and open transactions through
 * store/transaction.ts. Outside those places, reaching the database directly fails lint.
 */
const databaseAccess = {
  name: "@arbiter/db",
  importNames: ["getPrisma", "getRawDb", "getPool", "rawTransaction", "createPrismaClient", "createPool", "Prisma"],
  message:
    "SQL and Prisma calls live in packages/core/src/store: call a store function (transactions: store/transaction.ts). Types may be imported with `import type`.",
};
const rawSqlSyntax = [
  {
    selector: "MemberExpression[property.name=/^\\$(queryRaw|executeRaw|queryRawUnsafe|executeRawUnsafe|transaction)$/]",
    message: "Raw SQL and transactions belong in packages/core/src/store.",
  },
  {
    selector:
      "CallExpression > MemberExpression.callee[property.name=/^(findMany|findUnique|findUniqueOrThrow|findFirst|findFirstOrThrow|create|createMany|createManyAndReturn|update|updateMany|upsert|delete|deleteMany|count|aggregate|groupBy)$/] > MemberExpression.object[object.name=/^(tx|db|prisma|client)$/]",
    message: "Prisma model calls belong in packages/core/src/store.",
  },
];

export default tseslint.config(
  {
    ignores: [
      "**/node_modules/**",
      "**/.next/**",
      "**/dist/**",
      "**/.turbo/**",
      "**/generated/**",
      "**/next-env.d.ts",
      "test-results/**",
      "playwright-report/**",
      ".arbiter/**",
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
      "no-restricted-imports": ["error", { patterns: restrictedSources }],
      // no-restricted-imports does not look at import(): the same patterns for dynamic imports.
      "no-restricted-syntax": [
        "error",
        ...restrictedSources.map(({ regex, message }) => ({ selector: `ImportExpression > Literal.source[value=/${regex.replaceAll("/", "\\/")}/]`, message })),
      ],
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
  {
    files: ["packages/core/src/**/*.ts", "apps/web/**/*.ts", "apps/web/**/*.tsx"],
    ignores: ["packages/core/src/store/**", "packages/core/src/jobs/**", "**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": ["error", { paths: [{ ...databaseAccess, allowTypeImports: true }] }],
      // Flat config keeps only the last options per rule and file: the dynamic-import selectors are repeated here.
      "no-restricted-syntax": [
        "error",
        ...restrictedSources.map(({ regex, message }) => ({ selector: `ImportExpression > Literal.source[value=/${regex.replaceAll("/", "\\/")}/]`, message })),
        ...rawSqlSyntax,
      ],
    },
  },
);
