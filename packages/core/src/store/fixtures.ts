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

/** Every full-slots mark cleared (tests that move lease expiry by hand; marks are hints, so this is always safe). */
export async function clearSlotsFullMarks(): Promise<void> {
  await getPrisma().$executeRaw`UPDATE items SET slots_full_until = NULL WHERE slots_full_until IS NOT NULL`;
}
