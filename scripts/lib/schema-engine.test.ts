import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isEmptyMigration, lockfileContent, readMigrationsList, slugifyMigrationName } from "./schema-engine.ts";

describe("slugifyMigrationName (what `prisma migrate dev --name` does to a name)", () => {
  it.each([
    ["init", "init"],
    ["Add nickname", "add_nickname"],
    ["addUserTable", "add_user_table"],
    ["HTTPServer tokens", "http_server_tokens"],
    ["  --weird!! name--  ", "weird_name"],
    ["café", "cafe"],
  ])("%j → %j", (input, output) => {
    expect(slugifyMigrationName(input)).toBe(output);
  });

  it("returns an empty string when nothing usable is left", () => {
    expect(slugifyMigrationName("!!!")).toBe("");
  });
});

describe("isEmptyMigration", () => {
  it("recognises the engine's empty draft and comment-only scripts", () => {
    expect(isEmptyMigration("-- This is an empty migration.")).toBe(true);
    expect(isEmptyMigration("\n-- a\n\n")).toBe(true);
    expect(isEmptyMigration('-- AlterTable\nALTER TABLE "users" ADD COLUMN "x" TEXT;\n')).toBe(false);
  });
});

describe("readMigrationsList", () => {
  it("lists migration folders in name order with their scripts and the lockfile, like the Prisma CLI", async () => {
    const dir = mkdtempSync(join(tmpdir(), "migrations-"));
    for (const name of ["20250102000000_b", "20250101000000_a"]) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, "migration.sql"), `-- ${name}\n`);
    }
    mkdirSync(join(dir, "20250103000000_missing"));
    writeFileSync(join(dir, "migration_lock.toml"), lockfileContent("postgresql"));

    const list = await readMigrationsList(dir);
    expect(list.baseDir).toBe(dir);
    expect(list.lockfile).toEqual({ path: "migration_lock.toml", content: lockfileContent("postgresql") });
    expect(list.migrationDirectories.map((d) => d.path)).toEqual(["20250101000000_a", "20250102000000_b", "20250103000000_missing"]);
    expect(list.migrationDirectories[0]!.migrationFile).toEqual({ path: "migration.sql", content: { tag: "ok", value: "-- 20250101000000_a\n" } });
    expect(list.migrationDirectories[2]!.migrationFile.content.tag).toBe("error");
  });

  it("treats a missing folder as no migrations and no lockfile", async () => {
    const list = await readMigrationsList(join(tmpdir(), "does-not-exist-" + process.pid));
    expect(list.migrationDirectories).toEqual([]);
    expect(list.lockfile.content).toBeNull();
  });
});
