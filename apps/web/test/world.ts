import { randomUUID } from "node:crypto";
import { addMember, createCampaign, createUser, importItems, tokenFor, type Fixture } from "../../../scripts/lib/fixtures.ts";
import { expectStatus, http, type HttpInit, type HttpResult } from "../../../scripts/lib/http-client.ts";

/**
 * Who calls in the authorization matrix. `member` and `otherMember` are annotators of the
 * target campaign (the resource — an assignment, a judgment — belongs to `member`), `outsider`
 * annotates another campaign only.
 */
export const ROLES = ["anonymous", "member", "otherMember", "outsider", "researcher", "admin"] as const;
export type Role = (typeof ROLES)[number];
export type SignedInRole = Exclude<Role, "anonymous">;

export interface Account {
  id: string;
  email: string;
  password: string;
  token: string;
}

export interface Task {
  assignmentId: string;
  candidates: Array<{ id: string; content: string }>;
}

let addressCounter = 0;
/**
 * A client address of its own (X-Forwarded-For) for calls that must not share a per-IP rate-limit
 * bucket with the limit tests. The app believes X-Forwarded-For only from ARBITER_TRUSTED_PROXIES:
 * the security suite starts it trusting loopback, as if a reverse proxy there had added it.
 */
export function clientAddress(): Record<string, string> {
  addressCounter += 1;
  return { "x-forwarded-for": `10.${(addressCounter >> 16) & 255}.${(addressCounter >> 8) & 255}.${addressCounter & 255}` };
}

export interface World {
  baseUrl: string;
  accounts: Record<SignedInRole, Account>;
  /** The target campaign: `member` and `otherMember` belong to it, `outsider` does not. */
  campaignA: string;
  /** The outsider's campaign. */
  campaignB: string;
  call<T = unknown>(role: Role, path: string, init?: Omit<HttpInit, "token">): Promise<HttpResult<T>>;
  /** A task leased to `who` in the campaign (their open one, else a new one). */
  task(who: "member" | "otherMember", campaignId?: string): Promise<Task>;
  /** A judgment `who` has just submitted in the campaign. */
  judgment(who: "member" | "otherMember", campaignId?: string): Promise<string>;
  /** A fresh campaign with items, `member` and `otherMember` in it. */
  freshCampaign(options?: { status?: "draft" | "active"; items?: number; config?: Record<string, unknown> }): Promise<string>;
  /** A fresh annotator account (no token). */
  freshUser(role?: "annotator" | "researcher"): Promise<{ id: string; email: string; password: string }>;
  /** A single-use invite link's secret. */
  inviteToken(): Promise<string>;
  fixture: Fixture;
}

/** Builds the accounts and campaigns of the matrix through the public API of a running app. */
export async function buildWorld(baseUrl: string, admin: { email: string; password: string }): Promise<World> {
  const adminToken = await tokenFor(baseUrl, admin.email, admin.password, clientAddress());
  const me = expectStatus(await http<{ id: string }>(baseUrl, "/api/v1/me", { token: adminToken }), 200, "me");
  const fixture: Fixture = { baseUrl, adminToken, headers: {} };
  const suffix = randomUUID().slice(0, 8);

  const campaignA = (await createCampaign(fixture, { name: `Matrix A ${suffix}`, config: { overlap: 3, goldRate: 0 } })).id;
  const campaignB = (await createCampaign(fixture, { name: `Matrix B ${suffix}`, config: { overlap: 3, goldRate: 0 } })).id;
  await importItems(fixture, campaignA, 80, "a");
  await importItems(fixture, campaignB, 10, "b");

  const account = async (role: "annotator" | "researcher", name: string, campaignId?: string): Promise<Account> => {
    const email = `${name}-${suffix}@matrix.test`;
    const password = `${name}-password-1`;
    const user = await createUser(fixture, { email, role, password, ...(campaignId ? { campaignId } : {}) });
    return { id: user.id, email, password, token: await tokenFor(baseUrl, email, password, clientAddress()) };
  };
  const accounts: Record<SignedInRole, Account> = {
    admin: { id: me.id, email: admin.email, password: admin.password, token: adminToken },
    researcher: await account("researcher", "researcher"),
    member: await account("annotator", "member", campaignA),
    otherMember: await account("annotator", "other-member", campaignA),
    outsider: await account("annotator", "outsider", campaignB),
  };

  const call = <T = unknown>(role: Role, path: string, init: Omit<HttpInit, "token"> = {}) =>
    http<T>(baseUrl, path, { ...init, ...(role === "anonymous" ? {} : { token: accounts[role].token }) });

  const world: World = {
    baseUrl,
    accounts,
    campaignA,
    campaignB,
    call,
    fixture,
    async task(who, campaignId = campaignA) {
      return expectStatus(await call<Task>(who, `/api/v1/campaigns/${campaignId}/tasks/next`), 200, `task for ${who}`);
    },
    async judgment(who, campaignId = campaignA) {
      const task = await world.task(who, campaignId);
      const sent = await call<{ id: string }>(who, `/api/v1/assignments/${task.assignmentId}/judgment`, {
        body: { winner: task.candidates[0]!.id },
        headers: { "idempotency-key": randomUUID() },
      });
      return expectStatus(sent, 201, `judgment by ${who}`).id;
    },
    async freshCampaign(options = {}) {
      const id = (
        await createCampaign(fixture, {
          name: `Matrix fresh ${randomUUID().slice(0, 8)}`,
          status: options.status ?? "active",
          config: { overlap: 3, goldRate: 0, ...options.config },
        })
      ).id;
      if ((options.items ?? 4) > 0) await importItems(fixture, id, options.items ?? 4, "f");
      await addMember(fixture, id, accounts.member.id);
      await addMember(fixture, id, accounts.otherMember.id);
      return id;
    },
    async freshUser(role = "annotator") {
      const email = `fresh-${randomUUID().slice(0, 8)}@matrix.test`;
      const password = "fresh-password-1";
      const user = await createUser(fixture, { email, role, password });
      return { id: user.id, email, password };
    },
    async inviteToken() {
      const invite = expectStatus(
        await http<{ url: string }>(baseUrl, "/api/v1/invites", { token: adminToken, body: { role: "annotator", campaignId: campaignA } }),
        201,
        "invite",
      );
      return invite.url.split("/invite/")[1]!;
    },
  };
  // A few judgments in campaign A, so a reward model can be trained on it (the matrix trains one).
  for (let i = 0; i < 2; i++) {
    await world.judgment("member");
    await world.judgment("otherMember");
  }
  return world;
}
