// npm run db:migration -- --name <name>     write the next migration from prisma/schema.prisma
// npm run db:migration -- --check           exit 1 (printing the pending SQL) if schema and migrations differ
//
// `prisma migrate dev --create-only` without the native schema engine (which cannot be downloaded
// here): Prisma's own WebAssembly schema engine over two in-memory PGlite databases. The SQL is
// what the Prisma CLI (7.10.1) writes, and the files use the CLI's layout, so `prisma migrate
// deploy` still works where the native engine is available. See scripts/lib/schema-engine.ts.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parseArgs } from "node:util";
import { defaultMigrationsDir, defaultSchemaPath, diffMigrationsToSchema, lockfileContent, planMigration, slugifyMigrationName } from "./lib/schema-engine.ts";

const usage = `Usage:
  npm run db:migration -- --name <name>   create prisma/migrations/<timestamp>_<name>/migration.sql
  npm run db:migration -- --check         exit 1 and print the SQL if schema.prisma has changes without a migration

Options:
  --schema <path>          Prisma schema (default prisma/schema.prisma)
  --migrations <dir>       migrations folder (default prisma/migrations)`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      name: { type: "string", short: "n" },
      check: { type: "boolean", default: false },
      schema: { type: "string" },
      migrations: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const schemaPath = values.schema ?? defaultSchemaPath;
  const migrationsDir = values.migrations ?? defaultMigrationsDir;
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);

  if (values.check) {
    if (values.name) throw new Error("--check and --name cannot be combined");
    const { empty, script } = await diffMigrationsToSchema({ schemaPath, migrationsDir });
    if (empty) {
      console.log(`Migrations are in sync with ${relative(process.cwd(), schemaPath)} (${seconds()} s).`);
      return 0;
    }
    console.error(`${relative(process.cwd(), schemaPath)} has changes that no migration creates. Pending SQL:\n`);
    console.error(script);
    console.error(`Create the migration with: npm run db:migration -- --name <name>`);
    return 1;
  }

  if (!values.name) {
    console.error(`Missing --name.\n\n${usage}`);
    return 2;
  }
  const name = slugifyMigrationName(values.name);
  if (!name) throw new Error(`--name ${JSON.stringify(values.name)} has no usable characters (letters, digits, _)`);

  const lockPath = join(migrationsDir, "migration_lock.toml");
  if (existsSync(lockPath)) {
    const provider = /^\s*provider\s*=\s*"([^"]+)"/m.exec(readFileSync(lockPath, "utf8"))?.[1];
    if (provider !== "postgresql") throw new Error(`${lockPath} names provider ${JSON.stringify(provider)}, expected "postgresql"`);
  }

  const planned = await planMigration({ name, schemaPath, migrationsDir });
  if (!planned) {
    console.log(`No schema changes: the migrations already produce ${relative(process.cwd(), schemaPath)} (${seconds()} s).`);
    return 0;
  }
  for (const step of planned.unexecutableSteps) console.error(`Warning (step ${step.stepIndex}, cannot run on a populated table as is): ${step.message}`);
  for (const step of planned.warnings) console.error(`Warning (step ${step.stepIndex}): ${step.message}`);

  const dir = join(migrationsDir, planned.generatedMigrationName);
  if (existsSync(dir)) throw new Error(`The migration directory already exists at ${dir}`);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `migration.${planned.extension}`);
  writeFileSync(file, planned.script, "utf8");
  if (!existsSync(lockPath)) writeFileSync(lockPath, lockfileContent(planned.connectorType), "utf8");
  console.log(`Created ${relative(process.cwd(), file)} (${planned.migrationSteps} steps, ${seconds()} s).`);
  return 0;
}

// The engine keeps a timer alive, so the process is ended explicitly.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
