import { randomUUID } from "node:crypto";
import type { Item, MembershipStatus, Response, Role, User } from "@arbiter/db";
import type { Actor } from "../access/actor.ts";
import { createCampaign } from "../campaigns/create-campaign.ts";
import type { CampaignConfigInput, TaskTypeInput } from "../campaign-config/campaign-config.ts";
import type { CampaignView } from "../campaigns/campaign-view.ts";
import { setCampaignStatus } from "../campaigns/set-campaign-status.ts";
import { clearSlotsFullMarks, insertMembershipsDirectly, listItemsWithResponses } from "../store/fixtures.ts";
import { insertItemBatch, type NewItem } from "../store/items.ts";
import { inPrismaTransaction } from "../store/transaction.ts";
import { insertUser } from "../users/create-user.ts";

/**
 * Seed builders for integration and e2e tests. Tests share one database, so everything made
 * here is unique (random suffixes) and nothing assumes an empty database.
 */

export function uniqueSuffix(): string {
  return randomUUID().slice(0, 8);
}

export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${uniqueSuffix()}@test.arbiter.local`;
}

export interface TestUser extends User {
  /** The password the user was created with, when one was given. */
  password?: string;
}

/** A user with a credential account (when `password` is given), created through insertUser. */
export async function createTestUser(options: { role: Role; email?: string; password?: string; name?: string }): Promise<TestUser> {
  const email = (options.email ?? uniqueEmail(options.role)).toLowerCase();
  const user = await inPrismaTransaction((tx) => insertUser(tx, { email, role: options.role, name: options.name, password: options.password }));
  return options.password ? { ...user, password: options.password } : user;
}

/** Many users without passwords in one transaction (no password hashing, so fast). */
export async function createTestUsers(count: number, options: { role: Role; prefix?: string }): Promise<User[]> {
  const run = uniqueSuffix();
  return inPrismaTransaction(
    async (tx) => {
      const users: User[] = [];
      for (let i = 0; i < count; i++)
        users.push(await insertUser(tx, { email: `${options.prefix ?? options.role}-${run}-${i}@test.arbiter.local`, role: options.role }));
      return users;
    },
    { timeout: 60_000 },
  );
}

/** The actor the web layer would resolve for this user's session. */
export function actorFor(user: Pick<User, "id" | "email" | "role">, via: Actor["via"] = "session"): Actor {
  return { userId: user.id, email: user.email, role: user.role, via };
}

export type ItemWithResponses = Item & { responses: Response[] };

export interface TestCampaign {
  id: string;
  view: CampaignView;
  /** In import order, each with its responses in import order. */
  items: ItemWithResponses[];
}

/** A campaign made through createCampaign, with items inserted as an import would, in the wanted status. */
export async function createTestCampaign(options: {
  admin: Pick<User, "id" | "email" | "role">;
  taskType: TaskTypeInput;
  config?: CampaignConfigInput;
  items?: NewItem[];
  status?: "draft" | "active" | "paused" | "closed";
  name?: string;
}): Promise<TestCampaign> {
  const actor = actorFor(options.admin);
  const status = options.status ?? "active";
  let view = await createCampaign({
    actor,
    input: {
      name: options.name ?? `Test campaign ${uniqueSuffix()}`,
      taskType: options.taskType,
      config: options.config ?? {},
      status: status === "draft" ? "draft" : "active",
    },
  });
  const newItems = options.items ?? [];
  if (newItems.length > 0) await inPrismaTransaction((tx) => insertItemBatch(tx, view.id, newItems, 0), { timeout: 60_000 });
  if (status === "paused" || status === "closed") view = await setCampaignStatus({ actor, campaignId: view.id, input: { status } });
  const items = await listItemsWithResponses(view.id);
  return { id: view.id, view, items };
}

/** Makes the users members of the campaign (directly, without audit entries). */
export async function addMembers(campaignId: string, users: Array<Pick<User, "id">>, status: MembershipStatus = "active"): Promise<void> {
  await insertMembershipsDirectly(
    campaignId,
    users.map((u) => u.id),
    status,
  );
}

/** Pairwise items `item-0` … with responses `a` and `b` from models `model-a` and `model-b`. */
export function makePairwiseItems(n: number, options: { prefix?: string; gold?: (index: number) => NewItem["gold"] } = {}): NewItem[] {
  const prefix = options.prefix ?? "item";
  return Array.from({ length: n }, (_, i) => ({
    externalId: `${prefix}-${i}`,
    prompt: `Question ${i}: what is ${i} + ${i}?`,
    responses: [
      { externalId: "a", content: `The answer is ${i + i}.`, model: "model-a" },
      { externalId: "b", content: `I think it is ${i + i + 1}, but I am not sure.`, model: "model-b" },
    ],
    gold: options.gold?.(i) ?? null,
  }));
}

/** K-wise items `kitem-0` … with k responses `r0` … `r{k-1}` from models `model-0` …. */
export function makeKwiseItems(n: number, k: number, options: { prefix?: string } = {}): NewItem[] {
  const prefix = options.prefix ?? "kitem";
  return Array.from({ length: n }, (_, i) => ({
    externalId: `${prefix}-${i}`,
    prompt: `Write a haiku about the number ${i}.`,
    responses: Array.from({ length: k }, (_, r) => ({
      externalId: `r${r}`,
      content: `Response ${r} to prompt ${i}: ${"words ".repeat(r + 1).trim()}.`,
      model: `model-${r}`,
    })),
  }));
}

/**
 * A test that moves a lease's expiry by hand (instead of waiting) moves time for it: the
 * full-slots marks (items.slots_full_until) derived from the old expiry lapse with it. Marks are
 * hints, so clearing every one is always safe.
 */
export async function lapseSlotsFullMarks(): Promise<void> {
  await clearSlotsFullMarks();
}
