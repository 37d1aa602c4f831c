import { verifyPassword } from "@arbiter/auth";
import { insertUser } from "../users/create-user.ts";
import { insertCampaign } from "../store/campaigns.ts";
import { countCampaigns, countUsersExcept, findUserByEmail, findUsersWithPasswordHash } from "../store/demo.ts";
import { insertItemBatch } from "../store/items.ts";
import { insertMemberships } from "../store/members.ts";
import { inPrismaTransaction } from "../store/transaction.ts";
import { resolveCampaignConfig } from "../campaign-config/campaign-config.ts";
import { demoGuidelines, demoKwiseItems, demoPairwiseItems, demoRationaleItems } from "./demo-content.ts";

export const demoAccounts = [
  { email: "admin@arbiter.local", password: "arbiter-admin", role: "admin", name: "Demo Admin" },
  { email: "researcher@arbiter.local", password: "arbiter-research", role: "researcher", name: "Demo Researcher" },
  { email: "annotator1@arbiter.local", password: "arbiter-annotate", role: "annotator", name: "Annotator One" },
  { email: "annotator2@arbiter.local", password: "arbiter-annotate", role: "annotator", name: "Annotator Two" },
  { email: "annotator3@arbiter.local", password: "arbiter-annotate", role: "annotator", name: "Annotator Three" },
] as const;

type DemoAccount = (typeof demoAccounts)[number];

/**
 * Demo users and one small active campaign of each task kind, on a database that holds nothing
 * yet: no campaign, and no user but the first admin (`firstAdminEmail`, ARBITER_ADMIN_EMAIL),
 * whom scripts/start.ts creates before the demo. Runs once: skipped on a database with anything
 * else in it. A demo account whose email is the first admin's is not created (the admin keeps
 * their own password and owns the demo campaigns).
 */
export async function seedDemo(options: { firstAdminEmail?: string } = {}): Promise<{ seeded: boolean }> {
  const firstAdminEmail = options.firstAdminEmail?.trim().toLowerCase();
  return inPrismaTransaction(
    async (tx) => {
      const firstAdmin = firstAdminEmail ? await findUserByEmail(tx, firstAdminEmail) : null;
      const otherUsers = await countUsersExcept(tx, firstAdmin?.id);
      if (otherUsers > 0 || (await countCampaigns(tx)) > 0) return { seeded: false };
      const users = [];
      for (const account of demoAccounts) if (account.email !== firstAdmin?.email) users.push(await insertUser(tx, account));
      const admin = users.find((u) => u.role === "admin") ?? firstAdmin!;
      const annotators = users.filter((u) => u.role === "annotator");
      const campaigns = [
        {
          name: "Demo: which answer is better?",
          taskType: "pairwise" as const,
          config: { overlap: 2, strengthScale: true, goldRate: 0.2, guidelines: demoGuidelines },
          items: demoPairwiseItems,
        },
        {
          name: "Demo: rank four answers",
          taskType: "kwise" as const,
          config: {
            overlap: 2,
            k: 4,
            goldRate: 0,
            guidelines: "Drag the responses into order, best first — or press a number key to place the focused response.",
          },
          items: demoKwiseItems,
        },
        {
          name: "Demo: explain your preference",
          taskType: "rationale" as const,
          config: {
            overlap: 2,
            goldRate: 0,
            rationaleMinLength: 15,
            guidelines:
              "Pick the better response, rate both on each attribute, highlight spans that are wrong or especially good, and say why in a sentence or two.",
          },
          items: demoRationaleItems,
        },
      ];
      for (const spec of campaigns) {
        const campaign = await insertCampaign(tx, {
          name: spec.name,
          taskType: spec.taskType,
          status: "active",
          createdById: admin.id,
          config: resolveCampaignConfig(spec.taskType, spec.config),
        });
        await insertItemBatch(tx, campaign.id, spec.items, 0);
        await insertMemberships(
          tx,
          campaign.id,
          annotators.map((u) => u.id),
        );
      }
      return { seeded: true };
    },
    { timeout: 60_000 },
  );
}

/** The demo accounts that sign in with their demo password now (they exist, are enabled, and kept it): all that is worth printing. */
export async function demoAccountsThatSignIn(): Promise<DemoAccount[]> {
  const users = await findUsersWithPasswordHash(demoAccounts.map((a) => a.email));
  const usable: DemoAccount[] = [];
  for (const account of demoAccounts) {
    const user = users.find((u) => u.email === account.email);
    const hash = user?.passwordHash;
    if (user && !user.disabled && hash && (await verifyPassword(hash, account.password))) usable.push(account);
  }
  return usable;
}
