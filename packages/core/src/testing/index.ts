/** `@arbiter/core/testing`: fixtures and builders for tests, benchmarks and fault scripts. Never imported by the product. */
export * from "./builders.ts";
