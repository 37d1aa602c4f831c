// What packages/db/test/global-setup.ts provides to integration tests (declared there too;
// repeated here because that file is outside this package's program).
declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    embeddedDb: boolean;
  }
}

export {};
