import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { appDatabase, type AppDatabase } from "../../../scripts/lib/databases.ts";
import { addMember, createCampaign, createUser, importItems, tokenFor, type Fixture } from "../../../scripts/lib/fixtures.ts";
import { expectStatus, http } from "../../../scripts/lib/http-client.ts";
import { buildExists, launchApp, type RunningApp } from "../../../scripts/lib/launch-app.ts";

/**
 * Issue 22: two production app instances on one PostgreSQL database, as behind a load balancer
 * without stickiness. What must be shared is: the sign-in limit (better-auth's, now counted in
 * `rate_limits`) and the app's own limits hold across instances — the 11th attempt is refused
 * whichever instance gets it — and a session or token made on one instance works on the other.
 * Both instances trust loopback as their proxy, so each call's X-Forwarded-For is its client address.
 */

const built = buildExists();
const embedded = inject("embeddedDb");
if (built && embedded)
  console.warn(
    "[instances] SKIPPED: two app instances need one PostgreSQL server (the embedded PGlite is one process's). Run with DATABASE_URL=postgres://… to test scale-out.",
  );

const ADMIN = { email: "admin@instances.test", password: "instances-admin-password" };
let database: AppDatabase;
let apps: RunningApp[] = [];
let counter = 0;
const clientAddress = () => ({ "x-forwarded-for": `10.22.${(counter >> 8) & 255}.${++counter & 255}` });

describe.skipIf(!built || embedded)("two app instances on one database", () => {
  beforeAll(async () => {
    database = await appDatabase({ embedded: false, prefix: "arbiter_instances" });
    // One key on every instance: without ARBITER_SECRET_KEY each instance generates its own in its
    // data folder, and a session signed by one is refused by the other (found by this test).
    const env = { ARBITER_TRUSTED_PROXIES: "127.0.0.1, ::1", ARBITER_WORKER: "off", ARBITER_SECRET_KEY: randomUUID() + randomUUID() };
    // One after the other: the first migrates and creates the admin, the second finds both done.
    for (let i = 0; i < 2; i++)
      apps.push(await launchApp({ database, rateLimit: "on", adminEmail: ADMIN.email, adminPassword: ADMIN.password, baseEnv: process.env, env }));
  }, 360_000);

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.stop()));
    apps = [];
    await database?.drop();
  });

  it("the sign-in limit holds across instances: 10 attempts spread over both, the 11th refused on either", async () => {
    for (const last of [0, 1]) {
      const address = clientAddress();
      const statuses: number[] = [];
      for (let i = 0; i < 10; i++) {
        const app = apps[i % 2]!;
        statuses.push(
          (
            await http(app.baseUrl, "/api/auth/sign-in/email", {
              body: { email: ADMIN.email, password: "wrong-password" },
              headers: { origin: app.baseUrl, ...address },
            })
          ).status,
        );
      }
      expect(statuses, statuses.join(",")).toEqual(Array(10).fill(401));
      const app = apps[last]!;
      const blocked = await http(app.baseUrl, "/api/auth/sign-in/email", {
        body: { email: ADMIN.email, password: ADMIN.password },
        headers: { origin: app.baseUrl, ...address },
      });
      expect(blocked.status, `11th attempt on instance ${last}`).toBe(429);
      expect(Number(blocked.headers.get("x-retry-after"))).toBeGreaterThan(0);
    }
  });

  it("POST /api/v1/tokens: 10 per minute per client across instances, the 11th refused", async () => {
    const address = clientAddress();
    for (let i = 0; i < 10; i++)
      expect((await http(apps[i % 2]!.baseUrl, "/api/v1/tokens", { body: { email: ADMIN.email, password: "wrong-password" }, headers: address })).status).toBe(
        401,
      );
    const blocked = await http<{ error: { code: string } }>(apps[0]!.baseUrl, "/api/v1/tokens", {
      body: { email: ADMIN.email, password: ADMIN.password },
      headers: address,
    });
    expect(blocked.status).toBe(429);
    expect(blocked.data.error.code).toBe("rate_limited");
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("a session cookie and an API token made on one instance are valid on every instance; revoked on one, refused on all", async () => {
    const [a, b] = apps as [RunningApp, RunningApp];
    const signIn = await http(a.baseUrl, "/api/auth/sign-in/email", { body: ADMIN, headers: { origin: a.baseUrl, ...clientAddress() } });
    expect(signIn.status, signIn.text).toBe(200);
    const cookie = signIn.headers
      .getSetCookie()
      .map((c) => c.split(";")[0]!)
      .join("; ");
    for (const app of apps) expect((await http(app.baseUrl, "/api/v1/tokens", { cookie })).status).toBe(200);

    const token = await tokenFor(b.baseUrl, ADMIN.email, ADMIN.password, clientAddress());
    for (const app of apps) expect((await http(app.baseUrl, "/api/v1/campaigns", { token })).status).toBe(200);

    const own = expectStatus(await http<Array<{ id: string; prefix: string }>>(a.baseUrl, "/api/v1/tokens", { token }), 200, "own tokens");
    const id = own.find((t) => token.startsWith(t.prefix))!.id;
    // Revoked through instance A, refused by B at once: no instance caches a token.
    expect((await http(a.baseUrl, `/api/v1/tokens/${id}`, { method: "DELETE", token })).status).toBeLessThan(300);
    expect((await http(b.baseUrl, "/api/v1/campaigns", { token })).status).toBe(401);

    // A user created on one instance signs in on the other.
    const email = `instances-${randomUUID().slice(0, 8)}@instances.test`;
    const admin = await tokenFor(a.baseUrl, ADMIN.email, ADMIN.password, clientAddress());
    expectStatus(
      await http(a.baseUrl, "/api/v1/users", { token: admin, body: { email, role: "annotator", password: "instances-annotator" } }),
      201,
      "create user",
    );
    expect(
      (
        await http(b.baseUrl, "/api/auth/sign-in/email", {
          body: { email, password: "instances-annotator" },
          headers: { origin: b.baseUrl, ...clientAddress() },
        })
      ).status,
    ).toBe(200);
  });
  it("the same Idempotency-Key twice at once, one to each instance: one judgment; a lost acknowledgement retried (the outbox) is replayed", async () => {
    const [a, b] = apps as [RunningApp, RunningApp];
    const f: Fixture = { baseUrl: a.baseUrl, adminToken: await tokenFor(a.baseUrl, ADMIN.email, ADMIN.password, clientAddress()), headers: clientAddress() };
    const campaign = await createCampaign(f, { name: `races ${randomUUID().slice(0, 6)}`, config: { overlap: 1, goldRate: 0 } });
    expect(await importItems(f, campaign.id, 12)).toBe(12);
    const email = `racer-${randomUUID().slice(0, 8)}@instances.test`;
    const user = await createUser(f, { email, role: "annotator", password: "racer-password" });
    await addMember(f, campaign.id, user.id);
    const token = await tokenFor(b.baseUrl, email, "racer-password", clientAddress());

    const rounds = 10;
    for (let round = 0; round < rounds; round++) {
      const task = expectStatus(
        await http<{ assignmentId: string; candidates: Array<{ id: string }> }>(apps[round % 2]!.baseUrl, `/api/v1/campaigns/${campaign.id}/tasks/next`, {
          token,
        }),
        200,
        "next task",
      );
      const key = randomUUID();
      const submit = (app: RunningApp) =>
        http<{ id: string }>(app.baseUrl, `/api/v1/assignments/${task.assignmentId}/judgment`, {
          token,
          headers: { "idempotency-key": key },
          body: { winner: task.candidates[0]!.id, timeMs: 1200 },
        });
      const both = await Promise.all([submit(a), submit(b)]);
      expect(
        both.map((r) => r.status),
        both.map((r) => r.text).join(" | "),
      ).toEqual([201, 201]);
      expect(both[0]!.data.id).toBe(both[1]!.data.id);
      expect(both.filter((r) => r.headers.get("idempotent-replayed") === "true")).toHaveLength(1);
      // The browser never saw either answer (a lost acknowledgement): its outbox sends the entry again, to whichever instance.
      const retry = await submit(apps[(round + 1) % 2]!);
      expect(retry.status).toBe(201);
      expect(retry.data.id).toBe(both[0]!.data.id);
      expect(retry.headers.get("idempotent-replayed")).toBe("true");
    }
    const judgments = expectStatus(
      await http<{ judgments: Array<{ id: string }> }>(a.baseUrl, `/api/v1/campaigns/${campaign.id}/judgments?limit=200&source=all`, { token: f.adminToken }),
      200,
      "judgments",
    ).judgments;
    expect(judgments).toHaveLength(rounds);
  });
});
