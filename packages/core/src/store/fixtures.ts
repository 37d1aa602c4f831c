import { getPrisma, type Item, type MembershipStatus, type Response } from "@arbiter/db";

/** Fixture-only reads and writes for the test builders (`@arbiter/core/testing`); never used by the product. */

/** The campaign's items in import order, each with its responses in import order. */
export async function listItemsWithResponses(campaignId: string): Promise<Array<Item & { responses: Response[] }>> {
  return getPrisma().item.findMany({ where: { campaignId }, orderBy: { position: "asc" }, include: { responses: { orderBy: { position: "asc" } } } });
}

/** Memberships written directly (no audit entries); existing ones are left as they are. */
export async function insertMembershipsDirectly(campaignId: string, userIds: string[], status: MembershipStatus): Promise<void> {
  await getPrisma().campaignMember.createMany({ data: userIds.map((userId) => ({ campaignId, userId, status })), skipDuplicates: true });
}
