import { afterEach, describe, expect, inject, it } from "vitest";
import { appDatabase, type AppDatabase } from "./lib/databases.ts";
import { expectStatus, http } from "./lib/http-client.ts";
import { buildExists, launchApp, type RunningApp } from "./lib/launch-app.ts";

/**
 * The first start of `npm start` (scripts/start.ts) as a newcomer makes it: the production build
 * on a fresh database, ARBITER_ADMIN_EMAIL / ARBITER_ADMIN_PASSWORD set. The admin is created,
 * the demo still comes (ARBITER_DEMO auto on the embedded database, on on a server), and every
 * account the start prints signs in with the password printed beside it. Needs `npm run build`.
 */

const built = buildExists();
const OWNER = { email: "owner@start.test", password: "owner-password-1" };
const DEMO_CAMPAIGNS = ["Demo: explain your preference", "Demo: rank four answers", "Demo: which answer is better?"];

let app: RunningApp | undefined;
let database: AppDatabase | undefined;

afterEach(async () => {
  await app?.stop();
  await database?.drop();
  app = undefined;
  database = undefined;
});

interface PrintedAccount {
  role: string;
  email: string;
  password: string;
}

/** The accounts under "demo accounts (email / password):" in the start's log. */
function printedAccounts(log: string): PrintedAccount[] {
  const lines = log.split("\n");
  const start = lines.findIndex((l) => l.includes("demo accounts (email / password):"));
  if (start < 0) return [];
  const accounts: PrintedAccount[] = [];
  for (const line of lines.slice(start + 1)) {
    const match = /^\s+(\w+)\s+(\S+@\S+) \/ (\S+)\s*$/.exec(line);
    if (!match) break;
    accounts.push({ role: match[1]!, email: match[2]!, password: match[3]! });
  }
  return accounts;
}

/** Signs in the way the login page does; the session then answers GET /api/v1/me as that user. */
async function signIn(baseUrl: string, email: string, password: string): Promise<{ status: number; me?: { email: string; role: string } }> {
  const result = await http(baseUrl, "/api/auth/sign-in/email", { body: { email, password }, headers: { origin: baseUrl } });
  if (result.status !== 200) return { status: result.status };
  const cookie = result.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");
  const me = expectStatus(await http<{ email: string; role: string }>(baseUrl, "/api/v1/me", { cookie }), 200, `me as ${email}`);
  return { status: 200, me };
}

async function campaignNames(baseUrl: string, email: string, password: string): Promise<string[]> {
  const { token } = expectStatus(await http<{ token: string }>(baseUrl, "/api/v1/tokens", { body: { email, password } }), 201, `token for ${email}`);
  const campaigns = expectStatus(await http<Array<{ name: string }>>(baseUrl, "/api/v1/campaigns", { token }), 200, "campaigns");
  return campaigns.map((c) => c.name).sort();
}

async function expectEveryPrintedAccountSignsIn(running: RunningApp, printed: PrintedAccount[]) {
  for (const account of printed) {
    const result = await signIn(running.baseUrl, account.email, account.password);
    expect(result.status, `${account.email} / ${account.password} as printed`).toBe(200);
    expect(result.me).toMatchObject({ email: account.email, role: account.role });
  }
}

const launch = (options: { demo: "auto" | "on" | "off"; dataDir?: string }) =>
  launchApp({
    database: database!,
    adminEmail: OWNER.email,
    adminPassword: OWNER.password,
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    env: { ARBITER_DEMO: options.demo },
  });

/** Each test starts the production app once or twice (a cold start migrates and seeds): a guard against hangs, generous for a loaded 2-core box. */
const LAUNCHES_TIMEOUT = 180_000;

describe.skipIf(!built)("first start with ARBITER_ADMIN_EMAIL set (scripts/start.ts)", () => {
  it(
    "embedded database, ARBITER_DEMO=auto: the admin and the demo both come, every printed account signs in; a restart prints only accounts that still do",
    async () => {
      database = await appDatabase({ embedded: true, prefix: "arbiter_start" });
      app = await launch({ demo: "auto" });
      expect(app.log()).toContain(`created admin ${OWNER.email}`);
      expect(app.log()).toContain("demo data created");
      const printed = printedAccounts(app.log());
      expect(printed.map((a) => a.email)).toEqual([
        "admin@arbiter.local",
        "researcher@arbiter.local",
        "annotator1@arbiter.local",
        "annotator2@arbiter.local",
        "annotator3@arbiter.local",
      ]);
      await expectEveryPrintedAccountSignsIn(app, printed);
      expect((await signIn(app.baseUrl, OWNER.email, OWNER.password)).me).toMatchObject({ email: OWNER.email, role: "admin" });
      expect(await campaignNames(app.baseUrl, OWNER.email, OWNER.password)).toEqual(DEMO_CAMPAIGNS);
      expect(await campaignNames(app.baseUrl, "annotator1@arbiter.local", printed.find((a) => a.email === "annotator1@arbiter.local")!.password)).toEqual(
        DEMO_CAMPAIGNS,
      );

      // annotator3 picks a password of their own: the next start no longer lists that account.
      const { token } = expectStatus(
        await http<{ token: string }>(app.baseUrl, "/api/v1/tokens", { body: { email: "annotator3@arbiter.local", password: "arbiter-annotate" } }),
        201,
        "annotator3 token",
      );
      expectStatus(
        await http(app.baseUrl, "/api/v1/me/password", { token, body: { currentPassword: "arbiter-annotate", newPassword: "annotator3-own-password" } }),
        200,
        "change password",
      );
      const dataDir = app.dataDir;
      await app.stop({ keepData: true });
      app = await launch({ demo: "auto", dataDir });
      expect(app.log()).not.toContain("demo data created");
      const again = printedAccounts(app.log());
      expect(again.map((a) => a.email)).toEqual(["admin@arbiter.local", "researcher@arbiter.local", "annotator1@arbiter.local", "annotator2@arbiter.local"]);
      await expectEveryPrintedAccountSignsIn(app, again);
      expect(await campaignNames(app.baseUrl, OWNER.email, OWNER.password), "the demo is not seeded twice").toEqual(DEMO_CAMPAIGNS);
    },
    LAUNCHES_TIMEOUT,
  );

  it(
    "embedded database, ARBITER_DEMO=off: only the admin; nothing about a demo is printed",
    async () => {
      database = await appDatabase({ embedded: true, prefix: "arbiter_start" });
      app = await launch({ demo: "off" });
      expect(app.log()).toContain(`created admin ${OWNER.email}`);
      expect(app.log()).not.toMatch(/demo/i);
      expect(app.log()).not.toContain("@arbiter.local");
      expect((await signIn(app.baseUrl, "admin@arbiter.local", "arbiter-admin")).status).not.toBe(200);
      expect(await campaignNames(app.baseUrl, OWNER.email, OWNER.password)).toEqual([]);
    },
    LAUNCHES_TIMEOUT,
  );

  it.skipIf(inject("embeddedDb"))(
    "PostgreSQL server, ARBITER_DEMO=on: the admin and the demo both come, every printed account signs in",
    async () => {
      database = await appDatabase({ embedded: false, prefix: "arbiter_start" });
      app = await launch({ demo: "on" });
      expect(app.log()).toContain("demo data created");
      const printed = printedAccounts(app.log());
      expect(printed).toHaveLength(5);
      await expectEveryPrintedAccountSignsIn(app, printed);
      expect(await campaignNames(app.baseUrl, OWNER.email, OWNER.password)).toEqual(DEMO_CAMPAIGNS);
    },
    LAUNCHES_TIMEOUT,
  );
});
