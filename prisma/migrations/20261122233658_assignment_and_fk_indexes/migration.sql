-- CreateIndex
CREATE INDEX "audit_log_actor_id_idx" ON "audit_log"("actor_id");

-- CreateIndex
CREATE INDEX "campaigns_created_by_id_idx" ON "campaigns"("created_by_id");

-- CreateIndex
CREATE INDEX "invites_campaign_id_idx" ON "invites"("campaign_id");

-- CreateIndex
CREATE INDEX "invites_created_by_id_idx" ON "invites"("created_by_id");

-- CreateIndex
CREATE INDEX "items_campaign_id_human_count_position_idx" ON "items"("campaign_id", "human_count", "position");

-- CreateIndex
CREATE INDEX "judgments_winner_id_idx" ON "judgments"("winner_id");
